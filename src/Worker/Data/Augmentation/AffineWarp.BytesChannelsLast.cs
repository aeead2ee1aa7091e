using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// The fixed-point bytes warp (<see cref="ApplyBytes(ReadOnlySpan{byte}, Span{float}, int, int, int, bool, float, Affine2D)"/>)
/// for interleaved RGB and RGBA written straight into an H×W×C image, the layout the model takes: the same positions,
/// neighbours and whole-number weights, so the same values as the C×H×W warp moved channels last.
/// </summary>
internal static partial class AffineWarp
{
    /// <summary>
    /// Resamples interleaved (H,W,C) pixels of 3 or 4 channels into an H×W×C float image (channels last, the layout the
    /// model takes): AVX2 or AVX-512 byte multiply-adds blend all channels of a pixel at once, and nothing is transposed afterwards.
    /// </summary>
    public static void ApplyBytesChannelsLast(ReadOnlySpan<byte> source, Span<float> target, int channels, int height, int width,
        float rescale, Affine2D map) => ApplyBytesChannelsLast(source, target, channels, height, width, rescale, map, ChannelsLastPaths[^1]);

    /// <summary>The vector widths of the channels-last warp this CPU runs, narrowest first; each gives the same bits.</summary>
    internal enum WarpPath
    {
        Scalar,
        Avx2,
        Avx512,
    }

    /// <summary>
    /// The paths this machine takes, the fastest last. AVX-512 where the runtime accelerates 512-bit vectors (not on the
    /// CPUs where it slows the clock down, on which .NET reports them as not accelerated).
    /// </summary>
    internal static readonly WarpPath[] ChannelsLastPaths =
    [
        WarpPath.Scalar,
        .. Avx2.IsSupported ? [WarpPath.Avx2] : Array.Empty<WarpPath>(),
        .. Avx2.IsSupported && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated ? [WarpPath.Avx512] : Array.Empty<WarpPath>(),
    ];

    /// <summary>Whether <see cref="ApplyBytesChannelsLast(ReadOnlySpan{byte}, Span{float}, int, int, int, float, Affine2D)"/> takes this many channels.</summary>
    public static bool WarpsChannelsLast(int channels) => channels is 3 or 4;

    internal static void ApplyBytesChannelsLast(ReadOnlySpan<byte> source, Span<float> target, int channels, int height, int width,
        float rescale, Affine2D map, WarpPath path)
    {
        if (!ChannelsLastPaths.Contains(path))
        {
            throw new PlatformNotSupportedException($"this CPU has no {path} path for the channels-last warp");
        }
        if (!WarpsChannelsLast(channels))
        {
            throw new ArgumentException($"the channels-last bytes warp takes 3 or 4 channels; got {channels}", nameof(channels));
        }
        CheckSizes(source, target, channels, height, width);
        var step = new Step((float)map.A, (float)map.D, width, height);
        float factor = rescale / (Subpixels * Subpixels);
        for (int y = 0; y < height; y++)
        {
            var (sx0, sy0) = RowStart(map, y, width, height);
            int x = 0;
            // Three channels store four values a pixel, the fourth overwritten by the next pixel: the image's last pixel
            // goes by the scalar path, so nothing past the image is written.
            int limit = channels == 3 && y == height - 1 ? width - 1 : width;
            if (path == WarpPath.Avx512)
            {
                x = ChannelsLastRowAvx512(source, target, channels, y, limit, sx0, sy0, step, factor);
            }
            if (path >= WarpPath.Avx2)
            {
                x = ChannelsLastRowAvx2(source, target, channels, x, y, limit, sx0, sy0, step, factor);
            }
            for (; x < width; x++)
            {
                var n = FixedNeighbours.Of(sx0 + step.A * x, sy0 + step.D * x, step, channels);
                for (int c = 0; c < channels; c++)
                {
                    target[(y * width + x) * channels + c] = n.Blend(source[c..]) * factor;
                }
            }
        }
    }

    /// <summary>
    /// A row's pixels from <paramref name="x"/> on in groups of eight, into an H×W×C target (3 or 4 channels). Per group: four 64-bit gathers (a
    /// neighbour and the pixel right of it, all channels, in one word: half the loads of a gather per neighbour), the
    /// horizontal blend of each row pair with pmaddubsw (bytes times the fractions 64 − ax and ax as signed bytes), the
    /// vertical one with pmaddwd, and one 128-bit store of four values per pixel.
    /// </summary>
    private static unsafe int ChannelsLastRowAvx2(ReadOnlySpan<byte> source, Span<float> target, int channels, int x, int y, int limit,
        float sx0, float sy0, Step step, float factorValue)
    {
        var lane = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
        var a = Vector256.Create(step.A);
        var d = Vector256.Create(step.D);
        var startX = Vector256.Create(sx0);
        var startY = Vector256.Create(sy0);
        var lattice = new FixedLattice8(step, channels);
        var factor = Vector256.Create(factorValue);
        // Pixels 0, 1, 4, 5 then 2, 3, 6, 7: the order the in-lane unpacks of the weights below give.
        var unpackOrder = Vector256.Create(0, 1, 4, 5, 2, 3, 6, 7);
        // Within each 64-bit word (left pixel's channels, then the right one's): channel c's left and right bytes side
        // by side, as pmaddubsw pairs them; a three-channel word's fourth pair is zeroed.
        var pairs = channels == 4 ? PairChannels4 : PairChannels3;
        fixed (byte* src = source)
        fixed (float* dst = target)
        {
            float* row = dst + (long)y * step.Width * channels;
            for (; x + Lanes <= limit; x += Lanes)
            {
                var xs = Vector256.Create((float)x) + lane;
                var (i0, i1, ax, ay) = AdjacentNeighbours8(startX + a * xs, startY + d * xs, lattice);
                i0 = Avx2.PermuteVar8x32(i0, unpackOrder);
                i1 = Avx2.PermuteVar8x32(i1, unpackOrder);
                var top0 = Avx2.Shuffle(Avx2.GatherVector256((long*)src, i0.GetLower(), 1).AsByte(), pairs);
                var top1 = Avx2.Shuffle(Avx2.GatherVector256((long*)src, i0.GetUpper(), 1).AsByte(), pairs);
                var bottom0 = Avx2.Shuffle(Avx2.GatherVector256((long*)src, i1.GetLower(), 1).AsByte(), pairs);
                var bottom1 = Avx2.Shuffle(Avx2.GatherVector256((long*)src, i1.GetUpper(), 1).AsByte(), pairs);
                // (64 − ax, ax) as a byte pair, twice per 32-bit lane; unpacked so each pixel's eight bytes meet their pairs.
                // In-lane unpacks: pixels 0,1 | 4,5 and 2,3 | 6,7.
                var wx = (lattice.Whole - ax) | Avx2.ShiftLeftLogical(ax, 8);
                wx |= Avx2.ShiftLeftLogical(wx, 16);
                var wxLow = Avx2.UnpackLow(wx, wx).AsSByte();
                var wxHigh = Avx2.UnpackHigh(wx, wx).AsSByte();
                var t0 = Avx2.MultiplyAddAdjacent(top0, wxLow);
                var t1 = Avx2.MultiplyAddAdjacent(top1, wxHigh);
                var b0 = Avx2.MultiplyAddAdjacent(bottom0, wxLow);
                var b1 = Avx2.MultiplyAddAdjacent(bottom1, wxHigh);
                // (64 − ay, ay) as a 16-bit pair per pixel, broadcast within each lane to the pixel that lane holds.
                var wy = ((lattice.Whole - ay) | Avx2.ShiftLeftLogical(ay, 16)).AsInt16();
                var p04 = Vertical(Avx2.UnpackLow(t0, b0), Avx2.Shuffle(wy.AsInt32(), 0x00), factor);
                var p15 = Vertical(Avx2.UnpackHigh(t0, b0), Avx2.Shuffle(wy.AsInt32(), 0x55), factor);
                var p26 = Vertical(Avx2.UnpackLow(t1, b1), Avx2.Shuffle(wy.AsInt32(), 0xAA), factor);
                var p37 = Vertical(Avx2.UnpackHigh(t1, b1), Avx2.Shuffle(wy.AsInt32(), 0xFF), factor);
                // In pixel order, so a three-channel pixel's fourth value is overwritten by the next pixel's first.
                float* o = row + x * channels;
                p04.GetLower().Store(o);
                p15.GetLower().Store(o + channels);
                p26.GetLower().Store(o + 2 * channels);
                p37.GetLower().Store(o + 3 * channels);
                p04.GetUpper().Store(o + 4 * channels);
                p15.GetUpper().Store(o + 5 * channels);
                p26.GetUpper().Store(o + 6 * channels);
                p37.GetUpper().Store(o + 7 * channels);
            }
        }
        return x;
    }

    /// <summary>
    /// <see cref="FixedNeighbours8"/> for a warp that reads a neighbour and the pixel right of it in one word: the byte
    /// offsets of the left neighbour in the upper and lower row, and the fractions. Where the right neighbour is clamped
    /// onto the left one (I01 − I00 is not one pixel: x0 = −1 or x0 ≥ W − 1) ax is set to 0, so the blend is 64 times the
    /// left one alone: the same whole number as the clamped pair gives, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<int> Upper, Vector256<int> Lower, Vector256<int> Ax, Vector256<int> Ay) AdjacentNeighbours8(
        Vector256<float> sx, Vector256<float> sy, in FixedLattice8 lattice)
    {
        var n = new FixedNeighbours8(sx, sy, lattice);
        var paired = Avx2.CompareEqual(n.I01 - n.I00, lattice.PixelStride);
        return (n.I00, n.I10, n.Ax & paired, n.Ay);
    }

    // pshufb masks for the 64-bit words of the channels-last warp: left channel c and right channel c next to each other.
    private static readonly Vector256<byte> PairChannels4 = Vector256.Create(
        (byte)0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15, 0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15);

    private static readonly Vector256<byte> PairChannels3 = Vector256.Create(
        (byte)0, 3, 1, 4, 2, 5, 0x80, 0x80, 8, 11, 9, 12, 10, 13, 0x80, 0x80, 0, 3, 1, 4, 2, 5, 0x80, 0x80, 8, 11, 9, 12, 10, 13, 0x80, 0x80);

    /// <summary>(64 − ay)·top + ay·bottom per channel (pmaddwd over interleaved 16-bit pairs), as floats times <paramref name="factor"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Vertical(Vector256<short> topBottom, Vector256<int> weights, Vector256<float> factor) =>
        Avx.ConvertToVector256Single(Avx2.MultiplyAddAdjacent(topBottom, weights.AsInt16())) * factor;
}
