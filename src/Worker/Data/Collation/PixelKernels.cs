using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// The hot loops of decoding: bytes to scaled floats, and interleaved RGB bytes (N,H,W,C rows) to
/// three float planes. SIMD where the CPU has it (SSSE3 byte shuffles split 16 pixels at a time);
/// the scalar tails compute exactly the same values, <c>(float)byte * scale</c>.
/// </summary>
internal static class PixelKernels
{
    // For channel c and source vector s (bytes 16s..16s+15 of a 48-byte group): where pixel i's byte is, or 0x80 (zero).
    private static readonly Vector128<byte>[,] RgbMasks = BuildMasks();

    public static void BytesToFloats(ReadOnlySpan<byte> source, Span<float> target, float scale)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var factor = Vector128.Create(scale);
            for (; i + 16 <= source.Length; i += 16)
            {
                StoreScaled(Vector128.Create(source.Slice(i, 16)), target.Slice(i, 16), factor);
            }
        }
        for (; i < source.Length; i++)
        {
            target[i] = source[i] * scale;
        }
    }

    public static void RgbToPlanes(ReadOnlySpan<byte> rgb, Span<float> red, Span<float> green, Span<float> blue, float scale)
    {
        int pixels = red.Length, p = 0;
        if (Ssse3.IsSupported)
        {
            var factor = Vector128.Create(scale);
            for (; p + 16 <= pixels; p += 16)
            {
                var group = rgb.Slice(p * 3, 48);
                var a = Vector128.Create(group[..16]);
                var b = Vector128.Create(group.Slice(16, 16));
                var c = Vector128.Create(group.Slice(32, 16));
                StoreScaled(Plane(a, b, c, 0), red.Slice(p, 16), factor);
                StoreScaled(Plane(a, b, c, 1), green.Slice(p, 16), factor);
                StoreScaled(Plane(a, b, c, 2), blue.Slice(p, 16), factor);
            }
        }
        for (; p < pixels; p++)
        {
            red[p] = rgb[p * 3] * scale;
            green[p] = rgb[p * 3 + 1] * scale;
            blue[p] = rgb[p * 3 + 2] * scale;
        }
    }

    /// <summary><c>x * scale + shift</c> in place.</summary>
    public static void ScaleShift(Span<float> values, float scale, float shift)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var s = Vector128.Create(scale);
            var t = Vector128.Create(shift);
            for (; i + 4 <= values.Length; i += 4)
            {
                var slice = values.Slice(i, 4);
                (Vector128.Create((ReadOnlySpan<float>)slice) * s + t).CopyTo(slice);
            }
        }
        for (; i < values.Length; i++)
        {
            values[i] = values[i] * scale + shift;
        }
    }

    /// <summary>
    /// <c>x * scale[c] + shift[c]</c> in place over an H×W×C image (channel c of every pixel): the same bits as
    /// <see cref="ToChannelsLast"/>'s standardising. Three and four channels go eight values at a time.
    /// </summary>
    public static void ScaleShiftChannelsLast(Span<float> hwc, int channels, float[] scale, float[] shift)
    {
        int i = 0;
        ref float start = ref MemoryMarshal.GetReference(hwc);
        if (channels == 3 && Vector256.IsHardwareAccelerated)
        {
            // Three vectors hold eight whole pixels.
            var (s0, s1, s2) = PeriodicRgb(scale);
            var (t0, t1, t2) = PeriodicRgb(shift);
            for (; i + 24 <= hwc.Length; i += 24)
            {
                ref float at = ref Unsafe.Add(ref start, i);
                (Vector256.LoadUnsafe(ref at) * s0 + t0).StoreUnsafe(ref at);
                (Vector256.LoadUnsafe(ref at, 8) * s1 + t1).StoreUnsafe(ref at, 8);
                (Vector256.LoadUnsafe(ref at, 16) * s2 + t2).StoreUnsafe(ref at, 16);
            }
        }
        else if (channels == 4 && Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(Vector128.Create(scale), Vector128.Create(scale));
            var t = Vector256.Create(Vector128.Create(shift), Vector128.Create(shift));
            for (; i + 8 <= hwc.Length; i += 8)
            {
                ref float at = ref Unsafe.Add(ref start, i);
                (Vector256.LoadUnsafe(ref at) * s + t).StoreUnsafe(ref at);
            }
        }
        for (; i < hwc.Length; i++)
        {
            int c = i % channels;
            hwc[i] = hwc[i] * scale[c] + shift[c];
        }
    }

    /// <summary>The three vectors that repeat a per-channel value over interleaved RGB: lane j of vector v is channel (8·v + j) mod 3.</summary>
    public static (Vector256<float>, Vector256<float>, Vector256<float>) PeriodicRgb(float[] perChannel)
    {
        Span<float> lanes = stackalloc float[24];
        for (int j = 0; j < 24; j++)
        {
            lanes[j] = perChannel[j % 3];
        }
        return (Vector256.Create((ReadOnlySpan<float>)lanes[..8]), Vector256.Create((ReadOnlySpan<float>)lanes[8..16]), Vector256.Create((ReadOnlySpan<float>)lanes[16..]));
    }

    /// <summary>
    /// A C×H×W image to H×W×C (channels last), each value <c>x * scale[c] + shift[c]</c> on the way when
    /// <paramref name="scale"/> and <paramref name="shift"/> are given (the same bits as <see cref="ScaleShift"/> in place,
    /// then a copy), else copied as it is. Three channels go eight pixels at a time with AVX2 lane permutes.
    /// </summary>
    public static void ToChannelsLast(ReadOnlySpan<float> chw, Span<float> hwc, int channels, float[]? scale, float[]? shift)
    {
        int plane = chw.Length / channels, p = 0;
        if (hwc.Length < plane * channels)
        {
            throw new ArgumentException($"{plane * channels} values need as many places; got {hwc.Length}", nameof(hwc));
        }
        bool standardize = scale is not null && shift is not null;
        if (channels == 3 && Avx2.IsSupported)
        {
            p = RgbToChannelsLastAvx2(chw, hwc, plane, standardize ? scale! : Unused, standardize ? shift! : Unused, standardize);
        }
        for (; p < plane; p++)
        {
            for (int c = 0; c < channels; c++)
            {
                float value = chw[c * plane + p];
                hwc[p * channels + c] = standardize ? value * scale![c] + shift![c] : value;
            }
        }
    }

    // Factors for the AVX2 path when it only copies (never applied then); one array, not one per image.
    private static readonly float[] Unused = [0, 0, 0];

    private static unsafe int RgbToChannelsLastAvx2(ReadOnlySpan<float> chw, Span<float> hwc, int plane, float[] scale, float[] shift, bool standardize)
    {
        Vector256<float> s0 = Vector256.Create(scale[0]), s1 = Vector256.Create(scale[1]), s2 = Vector256.Create(scale[2]);
        Vector256<float> t0 = Vector256.Create(shift[0]), t1 = Vector256.Create(shift[1]), t2 = Vector256.Create(shift[2]);
        var at = RgbSpread;
        Vector256<int> r0 = at[0], g0 = at[1], b0 = at[2], r1 = at[3], g1 = at[4], b1 = at[5], r2 = at[6], g2 = at[7], b2 = at[8];
        int p = 0;
        fixed (float* source = chw, target = hwc)
        {
            for (; p + 8 <= plane; p += 8)
            {
                var r = Avx.LoadVector256(source + p);
                var g = Avx.LoadVector256(source + plane + p);
                var b = Avx.LoadVector256(source + 2 * plane + p);
                if (standardize)
                {
                    r = r * s0 + t0;
                    g = g * s1 + t1;
                    b = b * s2 + t2;
                }
                // r0 g0 b0 r1 g1 b1 r2 g2 | b2 r3 g3 b3 r4 g4 b4 r5 | g5 b5 r6 g6 b6 r7 g7 b7: each output vector
                // takes its lanes from r, g and b moved into place, picked by a blend.
                float* o = target + 3 * p;
                Avx.Store(o, Avx.Blend(Avx.Blend(Spread(r, r0), Spread(g, g0), 0b_1001_0010), Spread(b, b0), 0b_0010_0100));
                Avx.Store(o + 8, Avx.Blend(Avx.Blend(Spread(r, r1), Spread(g, g1), 0b_0010_0100), Spread(b, b1), 0b_0100_1001));
                Avx.Store(o + 16, Avx.Blend(Avx.Blend(Spread(r, r2), Spread(g, g2), 0b_0100_1001), Spread(b, b2), 0b_1001_0010));
            }
        }
        return p;
    }

    /// <summary>A channel's eight values moved to the lanes they take in one of the three output vectors (<see cref="RgbSpread"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Spread(Vector256<float> channel, Vector256<int> lanes) => Avx2.PermuteVar8x32(channel, lanes);

    // For output vector k (0..2) and channel c: RgbSpread[3k + c] lane j = the pixel (within the eight) whose channel c lands
    // in lane j of output k, for the lanes where it does; other lanes are overwritten by the blend.
    private static readonly Vector256<int>[] RgbSpread = BuildSpread();

    private static Vector256<int>[] BuildSpread()
    {
        var spread = new Vector256<int>[9];
        Span<int> lanes = stackalloc int[8];
        for (int k = 0; k < 3; k++)
        {
            for (int c = 0; c < 3; c++)
            {
                for (int j = 0; j < 8; j++)
                {
                    int value = 8 * k + j; // position in the 24 interleaved values
                    lanes[j] = value % 3 == c ? value / 3 : 0;
                }
                spread[3 * k + c] = Vector256.Create((ReadOnlySpan<int>)lanes);
            }
        }
        return spread;
    }

    private static Vector128<byte> Plane(Vector128<byte> a, Vector128<byte> b, Vector128<byte> c, int channel) =>
        Ssse3.Shuffle(a, RgbMasks[channel, 0]) | Ssse3.Shuffle(b, RgbMasks[channel, 1]) | Ssse3.Shuffle(c, RgbMasks[channel, 2]);

    private static void StoreScaled(Vector128<byte> bytes, Span<float> target, Vector128<float> factor)
    {
        var (low, high) = Vector128.Widen(bytes);
        var (l0, l1) = Vector128.Widen(low);
        var (h0, h1) = Vector128.Widen(high);
        (Vector128.ConvertToSingle(l0.AsInt32()) * factor).CopyTo(target[..4]);
        (Vector128.ConvertToSingle(l1.AsInt32()) * factor).CopyTo(target.Slice(4, 4));
        (Vector128.ConvertToSingle(h0.AsInt32()) * factor).CopyTo(target.Slice(8, 4));
        (Vector128.ConvertToSingle(h1.AsInt32()) * factor).CopyTo(target.Slice(12, 4));
    }

    private static Vector128<byte>[,] BuildMasks()
    {
        var masks = new Vector128<byte>[3, 3];
        Span<byte> mask = stackalloc byte[16];
        for (int channel = 0; channel < 3; channel++)
        {
            for (int source = 0; source < 3; source++)
            {
                for (int pixel = 0; pixel < 16; pixel++)
                {
                    int at = pixel * 3 + channel - source * 16;
                    mask[pixel] = at is >= 0 and < 16 ? (byte)at : (byte)0x80;
                }
                masks[channel, source] = Vector128.Create((ReadOnlySpan<byte>)mask);
            }
        }
        return masks;
    }
}
