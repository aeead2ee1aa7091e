using System.IO.Compression;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// Undoes a chunk's filter pipeline for the filters with a raw path: deflate (zlib, via
/// <see cref="ZLibStream"/>) and shuffle (byte transposition). Filters run in reverse of the order
/// they were applied, skipping those the chunk's filter mask says were not applied.
/// </summary>
internal sealed class ChunkDecoder(IReadOnlyList<FilterStep> filters, int elementSize)
{
    public const ushort Deflate = 1;
    public const ushort Shuffle = 2;

    /// <summary>Whether every filter in the pipeline has a raw path here.</summary>
    public static bool Supports(IReadOnlyList<FilterStep> filters) => filters.All(f => f.Id is Deflate or Shuffle);

    /// <summary>
    /// Decodes the first <paramref name="storedLength"/> bytes of <paramref name="stored"/> into the
    /// first <paramref name="chunkLength"/> bytes of <paramref name="chunk"/>; <paramref name="scratch"/>
    /// is a second buffer of at least that size.
    /// </summary>
    public void Decode(byte[] stored, int storedLength, uint filterMask, byte[] chunk, byte[] scratch, int chunkLength)
    {
        var steps = new List<FilterStep>(filters.Count);
        for (int i = filters.Count - 1; i >= 0; i--)
        {
            if ((filterMask & (1u << i)) == 0)
            {
                steps.Add(filters[i]);
            }
        }
        if (steps.Count == 0)
        {
            stored.AsSpan(0, chunkLength).CopyTo(chunk);
            return;
        }
        byte[] input = stored;
        int inputLength = storedLength;
        for (int k = 0; k < steps.Count; k++)
        {
            // Buffers alternate so that no step allocates and the last one lands in 'chunk'.
            var target = (steps.Count - 1 - k) % 2 == 0 ? chunk : scratch;
            switch (steps[k].Id)
            {
                case Deflate:
                    Inflate(input, inputLength, target.AsSpan(0, chunkLength));
                    break;
                case Shuffle:
                    int size = steps[k].ClientData.Length > 0 ? (int)steps[k].ClientData[0] : elementSize;
                    Unshuffle(input.AsSpan(0, Math.Min(inputLength, chunkLength)), target.AsSpan(0, chunkLength), size);
                    break;
                default:
                    throw new NotSupportedException($"filter {steps[k].Name} has no raw path");
            }
            input = target;
            inputLength = chunkLength;
        }
    }

    private static void Inflate(byte[] input, int inputLength, Span<byte> output)
    {
        using var source = new MemoryStream(input, 0, inputLength, writable: false);
        using var zlib = new ZLibStream(source, CompressionMode.Decompress);
        int read = zlib.ReadAtLeast(output, output.Length, throwOnEndOfStream: false);
        if (read != output.Length)
        {
            throw new InvalidDataException($"a deflate chunk decoded to {read} bytes, expected {output.Length}");
        }
    }

    /// <summary>Shuffle stores byte k of every element together; put each element's bytes back side by side.</summary>
    public static void Unshuffle(ReadOnlySpan<byte> input, Span<byte> output, int elementSize)
    {
        if (elementSize <= 1)
        {
            input.CopyTo(output);
            return;
        }
        int elements = input.Length / elementSize;
        for (int b = 0; b < elementSize; b++)
        {
            var plane = input.Slice(b * elements, elements);
            for (int e = 0; e < elements; e++)
            {
                output[e * elementSize + b] = plane[e];
            }
        }
        int tail = elements * elementSize;
        input[tail..].CopyTo(output[tail..]);
    }
}
