using System.IO.Compression;
using ZstdSharp;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// Undoes a chunk's filter pipeline for the filters with a raw path: deflate (zlib, via
/// <see cref="ZLibStream"/>), shuffle (byte transposition), fletcher32 (checksum verified and
/// stripped), h5py's LZF, the LZ4 filter's framing, and Zstandard frames. Filters run in reverse of the
/// order they were applied, skipping those the chunk's filter mask says were not applied (an optional
/// filter that could not shrink a chunk leaves it stored as is). One reader's: the Zstandard context
/// is not thread-safe.
/// </summary>
internal sealed class ChunkDecoder(IReadOnlyList<FilterStep> filters, int elementSize) : IDisposable
{
    public const ushort Deflate = 1;
    public const ushort Shuffle = 2;
    public const ushort Fletcher32Id = 3;
    public const ushort Lzf = 32000;
    public const ushort Lz4 = 32004;
    public const ushort Zstd = 32015;

    private Decompressor? _zstd;

    /// <summary>
    /// Whether every filter in the pipeline has a raw path here. A checksum must be the last filter
    /// applied (h5py and libhdf5 always put it there), so that it covers the bytes as stored.
    /// </summary>
    public static bool Supports(IReadOnlyList<FilterStep> filters) =>
        filters.All(f => f.Id is Deflate or Shuffle or Fletcher32Id or Lzf or Lz4 or Zstd) &&
        filters.Take(filters.Count - 1).All(f => f.Id != Fletcher32Id);

    /// <summary>
    /// Decodes the first <paramref name="storedLength"/> bytes of <paramref name="stored"/> into the
    /// first <paramref name="chunkLength"/> bytes of <paramref name="chunk"/>; <paramref name="scratch"/>
    /// is a second buffer of at least that size. Damaged data throws <see cref="InvalidDataException"/>
    /// whose message completes "chunk N …".
    /// </summary>
    public void Decode(byte[] stored, int storedLength, uint filterMask, byte[] chunk, byte[] scratch, int chunkLength)
    {
        // Index by index rather than through a list of steps, so that decoding a chunk allocates nothing.
        bool Applied(int i) => (filterMask & (1u << i)) == 0;
        byte[] input = stored;
        int inputLength = storedLength;
        int last = filters.Count - 1;
        if (last >= 0 && filters[last].Id == Fletcher32Id && Applied(last))
        {
            // Verified in place: the rest of the pipeline reads the bytes before the checksum.
            if (!Fletcher32.Verify(stored.AsSpan(0, storedLength)))
            {
                throw new InvalidDataException("fails its fletcher32 checksum: the file is damaged");
            }
            inputLength -= Fletcher32.Length;
            last--;
        }
        int steps = 0;
        for (int i = last; i >= 0; i--)
        {
            steps += Applied(i) ? 1 : 0;
        }
        if (steps == 0)
        {
            if (inputLength < chunkLength)
            {
                throw new InvalidDataException($"is stored in {inputLength} bytes without filters but holds {chunkLength}: the file is damaged");
            }
            input.AsSpan(0, chunkLength).CopyTo(chunk);
            return;
        }
        for (int i = last, k = 0; i >= 0; i--)
        {
            if (!Applied(i))
            {
                continue;
            }
            // Buffers alternate so that no step allocates and the last one lands in 'chunk'.
            var target = (steps - 1 - k++) % 2 == 0 ? chunk : scratch;
            Apply(filters[i], input, inputLength, target.AsSpan(0, chunkLength));
            input = target;
            inputLength = chunkLength;
        }
    }

    private void Apply(FilterStep filter, byte[] input, int inputLength, Span<byte> output)
    {
        var source = input.AsSpan(0, inputLength);
        try
        {
            switch (filter.Id)
            {
                case Deflate:
                    Inflate(input, inputLength, output);
                    break;
                case Shuffle:
                    int size = filter.ClientData.Length > 0 ? (int)filter.ClientData[0] : elementSize;
                    Unshuffle(source[..Math.Min(inputLength, output.Length)], output, size);
                    break;
                case Lzf:
                    Expect("lzf", LzfDecoder.Decode(source, output), output.Length);
                    break;
                case Lz4:
                    Lz4Frames.Decode(source, output);
                    break;
                case Zstd:
                    _zstd ??= new Decompressor();
                    Expect("zstd", _zstd.Unwrap(source, output), output.Length);
                    break;
                default:
                    throw new NotSupportedException($"filter {filter.Name} has no raw path");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or ZstdException)
        {
            throw new InvalidDataException($"cannot be decoded ({ex.Message}): the file is damaged", ex);
        }
    }

    public void Dispose() => _zstd?.Dispose();

    private static void Expect(string filter, int decoded, int chunkLength)
    {
        if (decoded != chunkLength)
        {
            throw new InvalidDataException($"{filter} data decoded to {decoded} bytes, expected {chunkLength}");
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
        // Output is bounded by the chunk's size whatever the stream holds; more than that is a damaged (or forged) chunk.
        if (zlib.ReadByte() != -1)
        {
            throw new InvalidDataException($"a deflate chunk decodes to more than its {output.Length} bytes");
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
