namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// Resamples a C×H×W float image through an inverse affine map in one pass: bilinear weights per
/// output pixel, computed once and used for every channel; outside the input the nearest edge
/// pixel is used (Keras' default fill mode).
/// </summary>
internal static class AffineWarp
{
    public static void Apply(ReadOnlySpan<float> source, Span<float> target, int channels, int height, int width, Affine2D map)
    {
        int plane = height * width;
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++)
        {
            double v = y - cy;
            // Source position of (x = 0, y), then step by (A, D) per x.
            double sx = map.A * -cx + map.B * v + map.C + cx;
            double sy = map.D * -cx + map.E * v + map.F + cy;
            int row = y * width;
            for (int x = 0; x < width; x++, sx += map.A, sy += map.D)
            {
                double fx0 = Math.Floor(sx), fy0 = Math.Floor(sy);
                float wx = (float)(sx - fx0), wy = (float)(sy - fy0);
                int x0 = Clamp((int)fx0, width), x1 = Clamp((int)fx0 + 1, width);
                int y0 = Clamp((int)fy0, height), y1 = Clamp((int)fy0 + 1, height);
                int i00 = y0 * width + x0, i01 = y0 * width + x1, i10 = y1 * width + x0, i11 = y1 * width + x1;
                float w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
                for (int c = 0, offset = 0; c < channels; c++, offset += plane)
                {
                    target[offset + row + x] = source[offset + i00] * w00 + source[offset + i01] * w01
                        + source[offset + i10] * w10 + source[offset + i11] * w11;
                }
            }
        }
    }

    private static int Clamp(int value, int size) => value < 0 ? 0 : value >= size ? size - 1 : value;
}
