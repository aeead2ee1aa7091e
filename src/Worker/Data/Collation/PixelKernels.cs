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
