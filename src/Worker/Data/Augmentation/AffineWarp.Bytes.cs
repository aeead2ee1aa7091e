using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// The warp read straight from stored uint8 pixels, in fixed point: each sampling position is rounded to
/// 1/<see cref="Subpixels"/> of a pixel (OpenCV's warpAffine rounds to 1/32), so the bilinear weights are whole numbers
/// that sum to <see cref="Subpixels"/>², and Σ weight·byte over the four neighbours is an exact integer, times
/// rescale/<see cref="Subpixels"/>². Exact integers make every path (AVX2 byte multiply-adds, float gathers, scalar) give
/// the same bits whatever order it adds in; against the float warp of the decoded image a value differs by at most
/// <see cref="MaxDeviation"/>. Whole-pixel maps (flips, the identity) give exactly the decoded values.
/// </summary>
internal static partial class AffineWarp
{
    /// <summary>Positions per pixel that the bytes warp tells apart (6 bits: the largest whose weights fit a signed byte).</summary>
    public const int Subpixels = 1 << SubpixelBits;

    private const int SubpixelBits = 6;

    /// <summary>
    /// The gathers read past a pixel (a 32-bit word from its first byte; the channels-last warp a 64-bit word, the pixel and
    /// its right neighbour): the source must hold this many bytes more than the image.
    /// </summary>
    public const int BytePadding = 5;

    /// <summary>
    /// How far a bytes-warp value may be from the float warp of the same decoded image, in units of the largest
    /// stored value times rescale: rounding moves each weight's fraction by at most 1/(2·<see cref="Subpixels"/>), and the
    /// bilinear value changes by at most the neighbours' spread per unit of either fraction.
    /// </summary>
    public const float MaxDeviation = 1f / Subpixels;

    /// <summary>
    /// Resamples the stored image into a C×H×W float image. Interleaved (H,W,C) pixels of up to four channels are
    /// fetched with one 32-bit gather per neighbour for all channels; planar (C,H,W) ones with one per channel.
    /// </summary>
    public static void ApplyBytes(ReadOnlySpan<byte> source, Span<float> target, int channels, int height, int width, bool interleaved,
        float rescale, Affine2D map) => ApplyBytes(source, target, channels, height, width, interleaved, rescale, map, Avx2.IsSupported);

    internal static void ApplyBytes(ReadOnlySpan<byte> source, Span<float> target, int channels, int height, int width, bool interleaved,
        float rescale, Affine2D map, bool simd)
    {
        CheckSizes(source, target, channels, height, width);
        var step = new Step((float)map.A, (float)map.D, width, height);
        var layout = new ByteLayout(interleaved ? channels : 1, interleaved ? 1 : width * height, channels, rescale / (Subpixels * Subpixels));
        for (int y = 0; y < height; y++)
        {
            var (sx0, sy0) = RowStart(map, y, width, height);
            int x = 0;
            if (simd && Avx2.IsSupported)
            {
                x = ByteRowAvx2(source, target, layout, y * width, sx0, sy0, step, interleaved && channels <= 4);
            }
            for (; x < width; x++)
            {
                var n = FixedNeighbours.Of(sx0 + step.A * x, sy0 + step.D * x, step, layout.PixelStride);
                for (int c = 0; c < channels; c++)
                {
                    target[c * width * height + y * width + x] = n.Blend(source[(c * layout.ChannelStride)..]) * layout.Factor;
                }
            }
        }
    }

    private static void CheckSizes(ReadOnlySpan<byte> source, Span<float> target, int channels, int height, int width)
    {
        int values = channels * height * width;
        if (source.Length < values + BytePadding || target.Length < values)
        {
            throw new ArgumentException($"a {channels}×{height}×{width} image needs {values + BytePadding} source bytes (with padding) " +
                $"and {values} target values; got {source.Length} and {target.Length}");
        }
    }

    /// <summary>Where value (pixel p, channel c) is: byte p·PixelStride + c·ChannelStride; each blended sum is multiplied by Factor.</summary>
    private readonly record struct ByteLayout(int PixelStride, int ChannelStride, int Channels, float Factor);

    /// <summary>
    /// The four stored pixels around a position (byte offsets of their first value, clamped to the edge) and the
    /// position's fractions in 1/<see cref="Subpixels"/> pixel; the one definition every bytes path follows.
    /// </summary>
    private readonly record struct FixedNeighbours(int I00, int I01, int I10, int I11, int Ax, int Ay)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static FixedNeighbours Of(float sx, float sy, Step step, int pixelStride)
        {
            // Clamped before the conversion so a far-outside position cannot overflow int; rounded to nearest, ties to
            // even, as cvtps2dq does.
            int qx = (int)MathF.Round(Math.Clamp(sx * Subpixels, -Subpixels, step.Width * (float)Subpixels));
            int qy = (int)MathF.Round(Math.Clamp(sy * Subpixels, -Subpixels, step.Height * (float)Subpixels));
            int x0 = qx >> SubpixelBits, y0 = qy >> SubpixelBits;
            int c0 = Clamp(x0, step.Width) * pixelStride, c1 = Clamp(x0 + 1, step.Width) * pixelStride;
            int rowStride = step.Width * pixelStride;
            int r0 = Clamp(y0, step.Height) * rowStride, r1 = Clamp(y0 + 1, step.Height) * rowStride;
            return new(r0 + c0, r0 + c1, r1 + c0, r1 + c1, qx & (Subpixels - 1), qy & (Subpixels - 1));
        }

        /// <summary>Σ weight·byte, exact: the weights are (64 − ax or ax)·(64 − ay or ay).</summary>
        public float Blend(ReadOnlySpan<byte> channel)
        {
            int top = (Subpixels - Ax) * channel[I00] + Ax * channel[I01];
            int bottom = (Subpixels - Ax) * channel[I10] + Ax * channel[I11];
            return (Subpixels - Ay) * top + Ay * bottom;
        }
    }

    /// <summary>
    /// <see cref="FixedNeighbours"/> for eight positions at once, the same operations lane by lane, with the fractions
    /// and the four weights (as floats: whole numbers up to 4096, so every sum below 2²⁴ is exact).
    /// </summary>
    private readonly struct FixedNeighbours8
    {
        public readonly Vector256<int> I00, I01, I10, I11, Ax, Ay;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public FixedNeighbours8(Vector256<float> sx, Vector256<float> sy, in FixedLattice8 lattice)
        {
            // The plain instructions (maxps, minps, cvtps2dq, pmaxsd, pminsd): Vector256.Min/Max/ConvertToInt32 also order
            // NaN and −0 and saturate, a dozen instructions more each, for cases that cannot occur here.
            var qx = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(sx * lattice.Subpixels, lattice.Before), lattice.MaxX));
            var qy = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(sy * lattice.Subpixels, lattice.Before), lattice.MaxY));
            var x0 = Avx2.ShiftRightArithmetic(qx, SubpixelBits);
            var y0 = Avx2.ShiftRightArithmetic(qy, SubpixelBits);
            var zero = Vector256<int>.Zero;
            var c0 = Avx2.MultiplyLow(Avx2.Min(Avx2.Max(x0, zero), lattice.LastX), lattice.PixelStride);
            var c1 = Avx2.MultiplyLow(Avx2.Min(Avx2.Max(x0 + Vector256<int>.One, zero), lattice.LastX), lattice.PixelStride);
            var r0 = Avx2.MultiplyLow(Avx2.Min(Avx2.Max(y0, zero), lattice.LastY), lattice.RowStride);
            var r1 = Avx2.MultiplyLow(Avx2.Min(Avx2.Max(y0 + Vector256<int>.One, zero), lattice.LastY), lattice.RowStride);
            I00 = r0 + c0;
            I01 = r0 + c1;
            I10 = r1 + c0;
            I11 = r1 + c1;
            Ax = qx & lattice.Fraction;
            Ay = qy & lattice.Fraction;
        }
    }

    /// <summary>The image's bounds and strides as vectors, made once per row for <see cref="FixedNeighbours8"/>.</summary>
    private readonly struct FixedLattice8(Step step, int pixelStride)
    {
        public readonly Vector256<float> Subpixels = Vector256.Create((float)AffineWarp.Subpixels), Before = Vector256.Create(-(float)AffineWarp.Subpixels);
        public readonly Vector256<float> MaxX = Vector256.Create(step.Width * (float)AffineWarp.Subpixels), MaxY = Vector256.Create(step.Height * (float)AffineWarp.Subpixels);
        public readonly Vector256<int> LastX = Vector256.Create(step.Width - 1), LastY = Vector256.Create(step.Height - 1);
        public readonly Vector256<int> PixelStride = Vector256.Create(pixelStride), RowStride = Vector256.Create(step.Width * pixelStride);
        public readonly Vector256<int> Fraction = Vector256.Create(AffineWarp.Subpixels - 1), Whole = Vector256.Create(AffineWarp.Subpixels);
    }

    /// <summary>A row's pixels in groups of eight, into a C×H×W target; returns where the scalar tail starts.</summary>
    private static unsafe int ByteRowAvx2(ReadOnlySpan<byte> source, Span<float> target, ByteLayout layout, int rowStart, float sx0, float sy0,
        Step step, bool oneGather)
    {
        int width = step.Width, plane = width * step.Height, x = 0;
        var lane = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
        var a = Vector256.Create(step.A);
        var d = Vector256.Create(step.D);
        var lattice = new FixedLattice8(step, layout.PixelStride);
        var low = Vector256.Create(0xFF);
        var factor = Vector256.Create(layout.Factor);
        Vector256<byte> pick0 = PickByte0, pick1 = PickByte1, pick2 = PickByte2, pick3 = PickByte3;
        fixed (byte* src = source)
        fixed (float* dst = target)
        {
            for (; x + Lanes <= width; x += Lanes)
            {
                var xs = Vector256.Create((float)x) + lane;
                var n = new FixedNeighbours8(Vector256.Create(sx0) + a * xs, Vector256.Create(sy0) + d * xs, lattice);
                var w = new Weights8(n, lattice);
                if (oneGather)
                {
                    // All channels of a neighbour in one 32-bit word, channel c in its byte c.
                    var g00 = Avx2.GatherVector256((int*)src, n.I00, 1);
                    var g01 = Avx2.GatherVector256((int*)src, n.I01, 1);
                    var g10 = Avx2.GatherVector256((int*)src, n.I10, 1);
                    var g11 = Avx2.GatherVector256((int*)src, n.I11, 1);
                    // The channels written out rather than looped over: a loop picking its shuffle mask per channel cost
                    // a quarter of the warp (bench augment-ops, "bytes warp alone").
                    float* output = dst + rowStart + x;
                    (Blend(g00, g01, g10, g11, pick0, w) * factor).Store(output);
                    if (layout.Channels > 1)
                    {
                        (Blend(g00, g01, g10, g11, pick1, w) * factor).Store(output + plane);
                    }
                    if (layout.Channels > 2)
                    {
                        (Blend(g00, g01, g10, g11, pick2, w) * factor).Store(output + 2 * plane);
                    }
                    if (layout.Channels > 3)
                    {
                        (Blend(g00, g01, g10, g11, pick3, w) * factor).Store(output + 3 * plane);
                    }
                }
                else
                {
                    for (int c = 0; c < layout.Channels; c++)
                    {
                        var channel = (int*)(src + c * layout.ChannelStride);
                        var sum = Term(Avx2.GatherVector256(channel, n.I00, 1), w.W00, low) + Term(Avx2.GatherVector256(channel, n.I01, 1), w.W01, low)
                            + Term(Avx2.GatherVector256(channel, n.I10, 1), w.W10, low) + Term(Avx2.GatherVector256(channel, n.I11, 1), w.W11, low);
                        (sum * factor).Store(dst + c * plane + rowStart + x);
                    }
                }
            }
        }
        return x;
    }

    /// <summary>The four bilinear weights of eight positions as floats (whole numbers up to 4096).</summary>
    private readonly struct Weights8
    {
        public readonly Vector256<float> W00, W01, W10, W11;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Weights8(in FixedNeighbours8 n, in FixedLattice8 lattice)
        {
            var ux = Vector256.ConvertToSingle(lattice.Whole - n.Ax);
            var uy = Vector256.ConvertToSingle(lattice.Whole - n.Ay);
            var wx = Vector256.ConvertToSingle(n.Ax);
            var wy = Vector256.ConvertToSingle(n.Ay);
            W00 = ux * uy;
            W01 = wx * uy;
            W10 = ux * wy;
            W11 = wx * wy;
        }
    }

    // Shuffle masks that move byte c of every 32-bit word to the word's low byte and zero the rest (0x80).
    private static readonly Vector256<byte> PickByte0 = PickByte(0), PickByte1 = PickByte(1), PickByte2 = PickByte(2), PickByte3 = PickByte(3);

    private static Vector256<byte> PickByte(int c)
    {
        Span<byte> indices = stackalloc byte[Vector256<byte>.Count];
        for (int j = 0; j < indices.Length; j++)
        {
            // The shuffle works within each 16-byte lane: word k's low byte takes lane byte 4k + c.
            indices[j] = j % 4 == 0 ? (byte)(j % 16 + c) : (byte)0x80;
        }
        return Vector256.Create<byte>(indices);
    }

    /// <summary>One channel's Σ w·byte over the four neighbours' words, the channel's byte chosen by <paramref name="pick"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Blend(Vector256<int> g00, Vector256<int> g01, Vector256<int> g10, Vector256<int> g11, Vector256<byte> pick,
        in Weights8 w) =>
        Picked(g00, pick, w.W00) + Picked(g01, pick, w.W01) + Picked(g10, pick, w.W10) + Picked(g11, pick, w.W11);

    /// <summary>A neighbour's byte (chosen from each word by <paramref name="pick"/>) as float, times its weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Picked(Vector256<int> words, Vector256<byte> pick, Vector256<float> weight) =>
        Vector256.ConvertToSingle(Avx2.Shuffle(words.AsByte(), pick).AsInt32()) * weight;

    /// <summary>A neighbour's byte (the low 8 bits of <paramref name="word"/>) as float, times its weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Term(Vector256<int> word, Vector256<float> weight, Vector256<int> low) =>
        Vector256.ConvertToSingle(word & low) * weight;
}
