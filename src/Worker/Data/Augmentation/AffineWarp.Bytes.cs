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
        var n = Neighbours.Of(sx, sy, step);
        int p = layout.PixelStride, plane = step.Width * step.Height;
        for (int c = 0; c < layout.Channels; c++)
        {
            var channel = source[(c * layout.ChannelStride)..];
            float s00 = channel[n.I00 * p] * n.W00, s01 = channel[n.I01 * p] * n.W01, s10 = channel[n.I10 * p] * n.W10, s11 = channel[n.I11 * p] * n.W11;
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
        var lattice = new Lattice8(step, layout.PixelStride, width * layout.PixelStride);
        var low = Vector256.Create(0xFF);
        var rescale = Vector256.Create(layout.Rescale);
        Vector256<byte> pick0 = PickByte0, pick1 = PickByte1, pick2 = PickByte2, pick3 = PickByte3;
        fixed (byte* src = source)
        fixed (float* dst = target)
        {
            for (; x + Lanes <= width; x += Lanes)
            {
                var xs = Vector256.Create((float)x) + lane;
                var n = new Neighbours8(Vector256.Create(sx0) + a * xs, Vector256.Create(sy0) + d * xs, lattice);
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
                    (Blend(g00, g01, g10, g11, pick0, n) * rescale).Store(output);
                    if (layout.Channels > 1)
                    {
                        (Blend(g00, g01, g10, g11, pick1, n) * rescale).Store(output + plane);
                    }
                    if (layout.Channels > 2)
                    {
                        (Blend(g00, g01, g10, g11, pick2, n) * rescale).Store(output + 2 * plane);
                    }
                    if (layout.Channels > 3)
                    {
                        (Blend(g00, g01, g10, g11, pick3, n) * rescale).Store(output + 3 * plane);
                    }
                }
                else
                {
                    for (int c = 0; c < layout.Channels; c++)
                    {
                        var channel = (int*)(src + c * layout.ChannelStride);
                        var sum = Term(Avx2.GatherVector256(channel, n.I00, 1), n.W00, low) + Term(Avx2.GatherVector256(channel, n.I01, 1), n.W01, low)
                            + Term(Avx2.GatherVector256(channel, n.I10, 1), n.W10, low) + Term(Avx2.GatherVector256(channel, n.I11, 1), n.W11, low);
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

    /// <summary>One channel's Σ w·byte over the four neighbours' words, the channel's byte chosen by <paramref name="pick"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Blend(Vector256<int> g00, Vector256<int> g01, Vector256<int> g10, Vector256<int> g11, Vector256<byte> pick,
        in Neighbours8 n) =>
        Picked(g00, pick, n.W00) + Picked(g01, pick, n.W01) + Picked(g10, pick, n.W10) + Picked(g11, pick, n.W11);

    /// <summary>A neighbour's byte (chosen from each word by <paramref name="pick"/>) as float, times its weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Picked(Vector256<int> words, Vector256<byte> pick, Vector256<float> weight) =>
        Vector256.ConvertToSingle(Avx2.Shuffle(words.AsByte(), pick).AsInt32()) * weight;

    /// <summary>A neighbour's byte (the low 8 bits of <paramref name="word"/>) as float, times its weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Term(Vector256<int> word, Vector256<float> weight, Vector256<int> low) =>
        Vector256.ConvertToSingle(word & low) * weight;
}
