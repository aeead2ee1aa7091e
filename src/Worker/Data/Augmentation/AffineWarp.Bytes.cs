using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>The warp read straight from stored uint8 pixels (<see cref="ApplyBytes(ReadOnlySpan{byte}, Span{float}, int, int, int, bool, float, Affine2D)"/>).</summary>
internal static partial class AffineWarp
{
    /// <summary>
    /// The same resample straight from stored uint8 pixels, without decoding them to float first: each output value
    /// is Σ w·byte over the four neighbours, times <paramref name="rescale"/>. Interleaved (H,W,C) pixels of up to
    /// four channels are fetched with one 32-bit gather per neighbour for all channels; planar (C,H,W) ones with one
    /// per channel. The gathers read up to three bytes past a pixel, so <paramref name="source"/> must hold
    /// <see cref="BytePadding"/> bytes more than the image. Scalar and AVX2 paths give identical bits.
    /// </summary>
    public static void ApplyBytes(ReadOnlySpan<byte> source, Span<float> target, int channels, int height, int width, bool interleaved,
        float rescale, Affine2D map) => ApplyBytes(source, target, channels, height, width, interleaved, rescale, map, Avx2.IsSupported);

    public const int BytePadding = 3;

    internal static void ApplyBytes(ReadOnlySpan<byte> source, Span<float> target, int channels, int height, int width, bool interleaved,
        float rescale, Affine2D map, bool simd)
    {
        int values = channels * height * width;
        if (source.Length < values + BytePadding || target.Length < values)
        {
            throw new ArgumentException($"a {channels}×{height}×{width} image needs {values + BytePadding} source bytes (with padding) " +
                $"and {values} target values; got {source.Length} and {target.Length}");
        }
        var step = new Step((float)map.A, (float)map.D, width, height);
        var layout = new ByteLayout(interleaved ? channels : 1, interleaved ? 1 : width * height, channels, rescale);
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
                BytePixel(source, target, layout, y * width + x, sx0 + step.A * x, sy0 + step.D * x, step);
            }
        }
    }

    /// <summary>Where value (pixel p, channel c) is: byte p·PixelStride + c·ChannelStride.</summary>
    private readonly record struct ByteLayout(int PixelStride, int ChannelStride, int Channels, float Rescale);

    private static void BytePixel(ReadOnlySpan<byte> source, Span<float> target, ByteLayout layout, int output, float sx, float sy, Step step)
    {
        float fx = MathF.Floor(sx), fy = MathF.Floor(sy);
        float wx = sx - fx, wy = sy - fy;
        int x0 = (int)Math.Clamp(fx, -1f, step.Width), y0 = (int)Math.Clamp(fy, -1f, step.Height);
        int cx0 = Clamp(x0, step.Width), cx1 = Clamp(x0 + 1, step.Width), cy0 = Clamp(y0, step.Height), cy1 = Clamp(y0 + 1, step.Height);
        int p = layout.PixelStride;
        int i00 = (cy0 * step.Width + cx0) * p, i01 = (cy0 * step.Width + cx1) * p, i10 = (cy1 * step.Width + cx0) * p, i11 = (cy1 * step.Width + cx1) * p;
        float ux = 1 - wx, uy = 1 - wy;
        float w00 = ux * uy, w01 = wx * uy, w10 = ux * wy, w11 = wx * wy;
        int plane = step.Width * step.Height;
        for (int c = 0; c < layout.Channels; c++)
        {
            var channel = source[(c * layout.ChannelStride)..];
            float s00 = channel[i00] * w00, s01 = channel[i01] * w01, s10 = channel[i10] * w10, s11 = channel[i11] * w11;
            target[c * plane + output] = (s00 + s01 + s10 + s11) * layout.Rescale;
        }
    }

    private static unsafe int ByteRowAvx2(ReadOnlySpan<byte> source, Span<float> target, ByteLayout layout, int rowStart, float sx0, float sy0,
        Step step, bool oneGather)
    {
        int width = step.Width, plane = width * step.Height, x = 0;
        var lane = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
        var a = Vector256.Create(step.A);
        var d = Vector256.Create(step.D);
        var one = Vector256.Create(1f);
        var minusOne = Vector256.Create(-1f);
        var maxX = Vector256.Create((float)width);
        var maxY = Vector256.Create((float)step.Height);
        var lastX = Vector256.Create(width - 1);
        var lastY = Vector256.Create(step.Height - 1);
        var rowStride = Vector256.Create(width * layout.PixelStride);
        var stride = Vector256.Create(layout.PixelStride);
        var low = Vector256.Create(0xFF);
        var rescale = Vector256.Create(layout.Rescale);
        Vector256<byte> pick0 = PickByte0, pick1 = PickByte1, pick2 = PickByte2, pick3 = PickByte3;
        fixed (byte* src = source)
        fixed (float* dst = target)
        {
            for (; x + Lanes <= width; x += Lanes)
            {
                var xs = Vector256.Create((float)x) + lane;
                var sx = Vector256.Create(sx0) + a * xs;
                var sy = Vector256.Create(sy0) + d * xs;
                var fx = Vector256.Floor(sx);
                var fy = Vector256.Floor(sy);
                var wx = sx - fx;
                var wy = sy - fy;
                var x0 = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(fx, minusOne), maxX));
                var y0 = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(fy, minusOne), maxY));
                var cx0 = Vector256.Min(Vector256.Max(x0, Vector256<int>.Zero), lastX) * stride;
                var cx1 = Vector256.Min(Vector256.Max(x0 + Vector256<int>.One, Vector256<int>.Zero), lastX) * stride;
                var r0 = Vector256.Min(Vector256.Max(y0, Vector256<int>.Zero), lastY) * rowStride;
                var r1 = Vector256.Min(Vector256.Max(y0 + Vector256<int>.One, Vector256<int>.Zero), lastY) * rowStride;
                var i00 = r0 + cx0;
                var i01 = r0 + cx1;
                var i10 = r1 + cx0;
                var i11 = r1 + cx1;
                var ux = one - wx;
                var uy = one - wy;
                var w00 = ux * uy;
                var w01 = wx * uy;
                var w10 = ux * wy;
                var w11 = wx * wy;
                if (oneGather)
                {
                    // All channels of a neighbour in one 32-bit word, channel c in its byte c.
                    var g00 = Avx2.GatherVector256((int*)src, i00, 1);
                    var g01 = Avx2.GatherVector256((int*)src, i01, 1);
                    var g10 = Avx2.GatherVector256((int*)src, i10, 1);
                    var g11 = Avx2.GatherVector256((int*)src, i11, 1);
                    for (int c = 0; c < layout.Channels; c++)
                    {
                        var pick = c switch { 0 => pick0, 1 => pick1, 2 => pick2, _ => pick3 };
                        var sum = Picked(g00, pick, w00) + Picked(g01, pick, w01) + Picked(g10, pick, w10) + Picked(g11, pick, w11);
                        (sum * rescale).Store(dst + c * plane + rowStart + x);
                    }
                }
                else
                {
                    for (int c = 0; c < layout.Channels; c++)
                    {
                        var channel = (int*)(src + c * layout.ChannelStride);
                        var sum = Term(Avx2.GatherVector256(channel, i00, 1), w00, low) + Term(Avx2.GatherVector256(channel, i01, 1), w01, low)
                            + Term(Avx2.GatherVector256(channel, i10, 1), w10, low) + Term(Avx2.GatherVector256(channel, i11, 1), w11, low);
                        (sum * rescale).Store(dst + c * plane + rowStart + x);
                    }
                }
            }
        }
        return x;
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

    /// <summary>A neighbour's byte (chosen from each word by <paramref name="pick"/>) as float, times its weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Picked(Vector256<int> words, Vector256<byte> pick, Vector256<float> weight) =>
        Vector256.ConvertToSingle(Avx2.Shuffle(words.AsByte(), pick).AsInt32()) * weight;

    /// <summary>A neighbour's byte (the low 8 bits of <paramref name="word"/>) as float, times its weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Term(Vector256<int> word, Vector256<float> weight, Vector256<int> low) =>
        Vector256.ConvertToSingle(word & low) * weight;
}
