using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// Resamples a C×H×W float image through an inverse affine map in one pass: bilinear weights per
/// output pixel, computed once and used for every channel; outside the input the nearest edge
/// pixel is used (Keras' default fill mode, by clamping the four neighbours' coordinates).
/// Eight output pixels at a time with AVX2 gathers where the CPU has them; the scalar path does the
/// same float operations in the same order (no fused multiply-add), so both give identical bits and
/// a seeded run augments alike on every machine.
/// </summary>
internal static partial class AffineWarp
{
    private const int Lanes = 8;

    public static void Apply(ReadOnlySpan<float> source, Span<float> target, int channels, int height, int width, Affine2D map) =>
        Apply(source, target, channels, height, width, map, Avx2.IsSupported);

    /// <param name="simd">Use the AVX2 path (where supported); false runs the scalar path alone, for the test that both agree.</param>
    // Not inlined: with dynamic PGO the JIT inlined this whole warp (row loop, AVX2 row, neighbour search) into
    // ImageAugmenter.Apply, a 7 KB method, and the decode + warp + jitter of a float image took 5.5–6.6 ms a batch of
    // 128 64×64 images instead of 3.5 (bench augment-ops, "decode, float warp, jitter").
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Apply(ReadOnlySpan<float> source, Span<float> target, int channels, int height, int width, Affine2D map, bool simd)
    {
        if (source.Length < channels * height * width || target.Length < channels * height * width)
        {
            throw new ArgumentException("images are smaller than C×H×W");
        }
        var step = new Step((float)map.A, (float)map.D, width, height);
        for (int y = 0; y < height; y++)
        {
            var (sx0, sy0) = RowStart(map, y, width, height);
            int x = 0;
            if (simd && Avx2.IsSupported)
            {
                x = RowAvx2(source, target, channels, y * width, sx0, sy0, step);
            }
            for (; x < width; x++)
            {
                Pixel(source, target, channels, y * width + x, sx0 + step.A * x, sy0 + step.D * x, step);
            }
        }
    }

    private readonly record struct Step(float A, float D, int Width, int Height);

    private static void Pixel(ReadOnlySpan<float> source, Span<float> target, int channels, int output, float sx, float sy, Step step)
    {
        var n = Neighbours.Of(sx, sy, step);
        int plane = step.Width * step.Height;
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(target);
        for (int c = 0, offset = 0; c < channels; c++, offset += plane)
        {
            float s00 = Unsafe.Add(ref src, offset + n.I00) * n.W00, s01 = Unsafe.Add(ref src, offset + n.I01) * n.W01;
            float s10 = Unsafe.Add(ref src, offset + n.I10) * n.W10, s11 = Unsafe.Add(ref src, offset + n.I11) * n.W11;
            Unsafe.Add(ref dst, offset + output) = s00 + s01 + s10 + s11;
        }
    }

    /// <summary>
    /// The four source pixels around a position (row·width + column, each clamped to the edge) and their bilinear weights:
    /// the one place both warps (float and bytes) find them, so they resample alike.
    /// </summary>
    private readonly record struct Neighbours(int I00, int I01, int I10, int I11, float W00, float W01, float W10, float W11)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Neighbours Of(float sx, float sy, Step step)
        {
            float fx = MathF.Floor(sx), fy = MathF.Floor(sy);
            float wx = sx - fx, wy = sy - fy;
            // Clamped before the conversion so a far-outside position cannot overflow int; the neighbours clamp to the edge anyway.
            int x0 = (int)Math.Clamp(fx, -1f, step.Width), y0 = (int)Math.Clamp(fy, -1f, step.Height);
            int cx0 = Clamp(x0, step.Width), cx1 = Clamp(x0 + 1, step.Width), cy0 = Clamp(y0, step.Height), cy1 = Clamp(y0 + 1, step.Height);
            float ux = 1 - wx, uy = 1 - wy;
            return new(cy0 * step.Width + cx0, cy0 * step.Width + cx1, cy1 * step.Width + cx0, cy1 * step.Width + cx1,
                ux * uy, wx * uy, ux * wy, wx * wy);
        }
    }

    /// <summary>
    /// <see cref="Neighbours"/> for eight positions at once, the same operations lane by lane; indices count
    /// <c>columnStride</c> per column and <c>rowStride</c> per row (1 and width for float planes, the pixel's bytes for interleaved ones).
    /// </summary>
    private readonly struct Neighbours8
    {
        public readonly Vector256<int> I00, I01, I10, I11;
        public readonly Vector256<float> W00, W01, W10, W11;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Neighbours8(Vector256<float> sx, Vector256<float> sy, in Lattice8 lattice)
        {
            var fx = Vector256.Floor(sx);
            var fy = Vector256.Floor(sy);
            var wx = sx - fx;
            var wy = sy - fy;
            // The plain instructions (maxps, minps, cvttps2dq), not Vector256.Min/Max/ConvertToInt32: those also order NaN
            // and −0 and saturate, a dozen instructions more each, for cases that cannot occur here (finite whole
            // numbers clamped to [−1, size]), where both give the same results.
            var x0 = Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(fx, lattice.MinusOne), lattice.MaxX));
            var y0 = Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(fy, lattice.MinusOne), lattice.MaxY));
            var cx0 = Vector256.Min(Vector256.Max(x0, Vector256<int>.Zero), lattice.LastX) * lattice.ColumnStride;
            var cx1 = Vector256.Min(Vector256.Max(x0 + Vector256<int>.One, Vector256<int>.Zero), lattice.LastX) * lattice.ColumnStride;
            var r0 = Vector256.Min(Vector256.Max(y0, Vector256<int>.Zero), lattice.LastY) * lattice.RowStride;
            var r1 = Vector256.Min(Vector256.Max(y0 + Vector256<int>.One, Vector256<int>.Zero), lattice.LastY) * lattice.RowStride;
            I00 = r0 + cx0;
            I01 = r0 + cx1;
            I10 = r1 + cx0;
            I11 = r1 + cx1;
            var ux = Vector256<float>.One - wx;
            var uy = Vector256<float>.One - wy;
            W00 = ux * uy;
            W01 = wx * uy;
            W10 = ux * wy;
            W11 = wx * wy;
        }
    }

    /// <summary>The image's bounds and strides as vectors, made once per row for <see cref="Neighbours8"/>.</summary>
    private readonly struct Lattice8(Step step, int columnStride, int rowStride)
    {
        public readonly Vector256<float> MinusOne = Vector256.Create(-1f), MaxX = Vector256.Create((float)step.Width), MaxY = Vector256.Create((float)step.Height);
        public readonly Vector256<int> LastX = Vector256.Create(step.Width - 1), LastY = Vector256.Create(step.Height - 1);
        public readonly Vector256<int> ColumnStride = Vector256.Create(columnStride), RowStride = Vector256.Create(rowStride);
    }

    /// <summary>Source position of pixel (0, <paramref name="y"/>); pixel x of the row samples (x0 + A·x, y0 + D·x).</summary>
    private static (float X, float Y) RowStart(Affine2D map, int y, int width, int height)
    {
        float cx = (width - 1) / 2f, cy = (height - 1) / 2f;
        double v = y - cy;
        return ((float)(map.A * -cx + map.B * v + map.C + cx), (float)(map.D * -cx + map.E * v + map.F + cy));
    }

    /// <summary>The row's pixels in groups of eight; returns where the scalar tail starts.</summary>
    private static unsafe int RowAvx2(ReadOnlySpan<float> source, Span<float> target, int channels, int rowStart, float sx0, float sy0, Step step)
    {
        int width = step.Width, plane = width * step.Height, x = 0;
        var lane = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
        var a = Vector256.Create(step.A);
        var d = Vector256.Create(step.D);
        var startX = Vector256.Create(sx0);
        var startY = Vector256.Create(sy0);
        var lattice = new Lattice8(step, 1, width);
        fixed (float* src = source, dst = target)
        {
            for (; x + Lanes <= width; x += Lanes)
            {
                var xs = Vector256.Create((float)x) + lane;
                var n = new Neighbours8(startX + a * xs, startY + d * xs, lattice);
                for (int c = 0, offset = 0; c < channels; c++, offset += plane)
                {
                    float* channel = src + offset;
                    var s00 = Avx2.GatherVector256(channel, n.I00, sizeof(float)) * n.W00;
                    var s01 = Avx2.GatherVector256(channel, n.I01, sizeof(float)) * n.W01;
                    var s10 = Avx2.GatherVector256(channel, n.I10, sizeof(float)) * n.W10;
                    var s11 = Avx2.GatherVector256(channel, n.I11, sizeof(float)) * n.W11;
                    (s00 + s01 + s10 + s11).Store(dst + offset + rowStart + x);
                }
            }
        }
        return x;
    }

    private static int Clamp(int value, int size) => value < 0 ? 0 : value >= size ? size - 1 : value;
}
