using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// Resamples a C×H×W float image through an inverse affine map in one pass: bilinear weights per
/// output pixel, computed once and used for every channel; outside the input the nearest edge
/// pixel is used (Keras' default fill mode). Pixels whose four neighbours are all inside skip the
/// clamping, which is most of them for the small transforms augmentation uses.
/// </summary>
internal static class AffineWarp
{
    public static void Apply(ReadOnlySpan<float> source, Span<float> target, int channels, int height, int width, Affine2D map)
    {
        if (source.Length < channels * height * width || target.Length < channels * height * width)
        {
            throw new ArgumentException("images are smaller than C×H×W");
        }
        int plane = height * width;
        float cx = (width - 1) / 2f, cy = (height - 1) / 2f;
        float a = (float)map.A, d = (float)map.D;
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(target);
        for (int y = 0; y < height; y++)
        {
            double v = y - cy;
            // Source position of (x = 0, y), then step by (A, D) per x.
            float sx = (float)(map.A * -cx + map.B * v + map.C + cx);
            float sy = (float)(map.D * -cx + map.E * v + map.F + cy);
            int row = y * width;
            for (int x = 0; x < width; x++, sx += a, sy += d)
            {
                float fx = MathF.Floor(sx), fy = MathF.Floor(sy);
                float wx = sx - fx, wy = sy - fy;
                int x0 = (int)fx, y0 = (int)fy;
                int i00, i01, i10, i11;
                if ((uint)x0 < (uint)(width - 1) && (uint)y0 < (uint)(height - 1))
                {
                    i00 = y0 * width + x0;
                    i01 = i00 + 1;
                    i10 = i00 + width;
                    i11 = i10 + 1;
                }
                else
                {
                    int cx0 = Clamp(x0, width), cx1 = Clamp(x0 + 1, width), cy0 = Clamp(y0, height), cy1 = Clamp(y0 + 1, height);
                    i00 = cy0 * width + cx0;
                    i01 = cy0 * width + cx1;
                    i10 = cy1 * width + cx0;
                    i11 = cy1 * width + cx1;
                }
                float w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
                for (int c = 0, offset = 0; c < channels; c++, offset += plane)
                {
                    Unsafe.Add(ref dst, offset + row + x) =
                        Unsafe.Add(ref src, offset + i00) * w00 + Unsafe.Add(ref src, offset + i01) * w01
                        + Unsafe.Add(ref src, offset + i10) * w10 + Unsafe.Add(ref src, offset + i11) * w11;
                }
            }
        }
    }

    private static int Clamp(int value, int size) => value < 0 ? 0 : value >= size ? size - 1 : value;
}
