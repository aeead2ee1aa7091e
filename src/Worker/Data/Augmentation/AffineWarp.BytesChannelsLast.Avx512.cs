using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// The channels-last bytes warp sixteen pixels at a time with AVX-512: the same positions, neighbours and whole-number
/// weights as the AVX2 row (<see cref="ChannelsLastRowAvx2"/>), so the same bits, in half the instructions a pixel.
/// </summary>
internal static partial class AffineWarp
{
    private const int Lanes16 = 16;

    /// <summary>
    /// A row's pixels in groups of sixteen, into an H×W×C target (3 or 4 channels); returns where the AVX2 row goes on.
    /// The AVX2 row's steps on 512-bit vectors: each 128-bit lane L does what the AVX2 row's lanes do, for pixels 4L to
    /// 4L + 3. .NET has no 512-bit gather, so each vector of neighbour words is two AVX2 gathers of four.
    /// </summary>
    private static unsafe int ChannelsLastRowAvx512(ReadOnlySpan<byte> source, Span<float> target, int channels, int y, int limit,
        float sx0, float sy0, Step step, float factorValue)
    {
        int x = 0;
        var lane = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var a = Vector512.Create(step.A);
        var d = Vector512.Create(step.D);
        var startX = Vector512.Create(sx0);
        var startY = Vector512.Create(sy0);
        var lattice = new FixedLattice16(step, channels);
        var factor = Vector512.Create(factorValue);
        // Pixels 0, 1, 4, 5, 8, 9, 12, 13, then 2, 3, 6, 7, 10, 11, 14, 15: the words each lane's unpacks of the weights meet.
        var unpackOrder = Vector512.Create(0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15);
        var pairs = Vector512.Create(channels == 4 ? PairChannels4 : PairChannels3, channels == 4 ? PairChannels4 : PairChannels3);
        fixed (byte* src = source)
        fixed (float* dst = target)
        {
            float* row = dst + (long)y * step.Width * channels;
            for (; x + Lanes16 <= limit; x += Lanes16)
            {
                var xs = Vector512.Create((float)x) + lane;
                var n = new FixedNeighbours16(startX + a * xs, startY + d * xs, lattice);
                var i0 = Avx512F.PermuteVar16x32(n.I00, unpackOrder);
                var i1 = Avx512F.PermuteVar16x32(n.I10, unpackOrder);
                var top0 = Avx512BW.Shuffle(Gather8(src, i0.GetLower()), pairs);
                var top1 = Avx512BW.Shuffle(Gather8(src, i0.GetUpper()), pairs);
                var bottom0 = Avx512BW.Shuffle(Gather8(src, i1.GetLower()), pairs);
                var bottom1 = Avx512BW.Shuffle(Gather8(src, i1.GetUpper()), pairs);
                var wx = (lattice.Whole - n.Ax) | Avx512F.ShiftLeftLogical(n.Ax, 8);
                wx |= Avx512F.ShiftLeftLogical(wx, 16);
                var wxLow = Avx512F.UnpackLow(wx, wx).AsSByte();
                var wxHigh = Avx512F.UnpackHigh(wx, wx).AsSByte();
                var t0 = Avx512BW.MultiplyAddAdjacent(top0, wxLow);
                var t1 = Avx512BW.MultiplyAddAdjacent(top1, wxHigh);
                var b0 = Avx512BW.MultiplyAddAdjacent(bottom0, wxLow);
                var b1 = Avx512BW.MultiplyAddAdjacent(bottom1, wxHigh);
                var wy = (lattice.Whole - n.Ay) | Avx512F.ShiftLeftLogical(n.Ay, 16);
                // Lane L of p0..p3: pixels 4L, 4L + 1, 4L + 2, 4L + 3.
                var p0 = Vertical(Avx512BW.UnpackLow(t0, b0), Avx512F.Shuffle(wy, 0x00), factor);
                var p1 = Vertical(Avx512BW.UnpackHigh(t0, b0), Avx512F.Shuffle(wy, 0x55), factor);
                var p2 = Vertical(Avx512BW.UnpackLow(t1, b1), Avx512F.Shuffle(wy, 0xAA), factor);
                var p3 = Vertical(Avx512BW.UnpackHigh(t1, b1), Avx512F.Shuffle(wy, 0xFF), factor);
                // In pixel order, so a three-channel pixel's fourth value is overwritten by the next pixel's first.
                float* o = row + x * channels;
                Store4(o, channels, p0.GetLower().GetLower(), p1.GetLower().GetLower(), p2.GetLower().GetLower(), p3.GetLower().GetLower());
                Store4(o + 4 * channels, channels, p0.GetLower().GetUpper(), p1.GetLower().GetUpper(), p2.GetLower().GetUpper(), p3.GetLower().GetUpper());
                Store4(o + 8 * channels, channels, p0.GetUpper().GetLower(), p1.GetUpper().GetLower(), p2.GetUpper().GetLower(), p3.GetUpper().GetLower());
                Store4(o + 12 * channels, channels, p0.GetUpper().GetUpper(), p1.GetUpper().GetUpper(), p2.GetUpper().GetUpper(), p3.GetUpper().GetUpper());
            }
        }
        return x;
    }

    /// <summary>The eight 64-bit words at the byte offsets <paramref name="offsets"/>, in their order: two AVX2 gathers of four.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<byte> Gather8(byte* src, Vector256<int> offsets) => Vector512.Create(
        Avx2.GatherVector256((long*)src, offsets.GetLower(), 1), Avx2.GatherVector256((long*)src, offsets.GetUpper(), 1)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store4(float* o, int channels, Vector128<float> p0, Vector128<float> p1, Vector128<float> p2, Vector128<float> p3)
    {
        p0.Store(o);
        p1.Store(o + channels);
        p2.Store(o + 2 * channels);
        p3.Store(o + 3 * channels);
    }

    /// <inheritdoc cref="Vertical(Vector256{short}, Vector256{int}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Vertical(Vector512<short> topBottom, Vector512<int> weights, Vector512<float> factor) =>
        Avx512F.ConvertToVector512Single(Avx512BW.MultiplyAddAdjacent(topBottom, weights.AsInt16())) * factor;

    /// <summary>
    /// <see cref="FixedNeighbours8"/> for sixteen positions, the same operations lane by lane: the upper and lower row's
    /// left neighbour and the fractions, ax set to 0 where the right neighbour is clamped onto the left one
    /// (<see cref="AdjacentNeighbours8"/>).
    /// </summary>
    private readonly struct FixedNeighbours16
    {
        public readonly Vector512<int> I00, I10, Ax, Ay;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public FixedNeighbours16(Vector512<float> sx, Vector512<float> sy, in FixedLattice16 lattice)
        {
            var qx = Avx512F.ConvertToVector512Int32(Avx512F.Min(Avx512F.Max(sx * lattice.Subpixels, lattice.Before), lattice.MaxX));
            var qy = Avx512F.ConvertToVector512Int32(Avx512F.Min(Avx512F.Max(sy * lattice.Subpixels, lattice.Before), lattice.MaxY));
            var x0 = Avx512F.ShiftRightArithmetic(qx, SubpixelBits);
            var y0 = Avx512F.ShiftRightArithmetic(qy, SubpixelBits);
            var zero = Vector512<int>.Zero;
            var c0 = Avx512F.MultiplyLow(Avx512F.Min(Avx512F.Max(x0, zero), lattice.LastX), lattice.PixelStride);
            var c1 = Avx512F.MultiplyLow(Avx512F.Min(Avx512F.Max(x0 + Vector512<int>.One, zero), lattice.LastX), lattice.PixelStride);
            var r0 = Avx512F.MultiplyLow(Avx512F.Min(Avx512F.Max(y0, zero), lattice.LastY), lattice.RowStride);
            var r1 = Avx512F.MultiplyLow(Avx512F.Min(Avx512F.Max(y0 + Vector512<int>.One, zero), lattice.LastY), lattice.RowStride);
            I00 = r0 + c0;
            I10 = r1 + c0;
            Ax = qx & lattice.Fraction & Avx512F.CompareEqual(c1 - c0, lattice.PixelStride);
            Ay = qy & lattice.Fraction;
        }
    }

    /// <summary><see cref="FixedLattice8"/> in 512-bit vectors.</summary>
    private readonly struct FixedLattice16(Step step, int pixelStride)
    {
        public readonly Vector512<float> Subpixels = Vector512.Create((float)AffineWarp.Subpixels), Before = Vector512.Create(-(float)AffineWarp.Subpixels);
        public readonly Vector512<float> MaxX = Vector512.Create(step.Width * (float)AffineWarp.Subpixels), MaxY = Vector512.Create(step.Height * (float)AffineWarp.Subpixels);
        public readonly Vector512<int> LastX = Vector512.Create(step.Width - 1), LastY = Vector512.Create(step.Height - 1);
        public readonly Vector512<int> PixelStride = Vector512.Create(pixelStride), RowStride = Vector512.Create(step.Width * pixelStride);
        public readonly Vector512<int> Fraction = Vector512.Create(AffineWarp.Subpixels - 1), Whole = Vector512.Create(AffineWarp.Subpixels);
    }
}
