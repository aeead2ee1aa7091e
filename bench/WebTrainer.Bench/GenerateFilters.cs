using System.Buffers.Binary;
using K4os.Compression.LZ4;
using PureHDF.Filters;
using ZstdSharp;

namespace WebTrainer.Bench;

/// <summary>
/// The filter pipelines <c>generate --filter</c> writes, so the loader benchmark can measure each raw
/// decode path: deflate and fletcher32 are PureHDF's own; LZ4 (32004, H5Zlz4.c's framing) and zstd
/// (32015) are encoders of their own here, write-only, since the Worker's raw path reads them.
/// </summary>
internal static class GenerateFilters
{
    public static readonly string[] Names = ["deflate", "fletcher32", "lz4", "zstd"];

    /// <summary>Registers the encoders PureHDF lacks and returns the pipeline for <paramref name="name"/>.</summary>
    public static List<H5Filter> Pipeline(string name)
    {
        H5Filter.Register(new Lz4Encoder());
        H5Filter.Register(new ZstdEncoder());
        return name switch
        {
            "deflate" => [new H5Filter(1, null!)],
            "fletcher32" => [new H5Filter(3, null!)],
            "lz4" => [new H5Filter(Lz4Encoder.Id, null!)],
            "zstd" => [new H5Filter(ZstdEncoder.Id, null!)],
            _ => throw new ArgumentException($"--filter {name}: use one of {string.Join(", ", Names)}"),
        };
    }

    private sealed class Lz4Encoder : IH5Filter
    {
        public const ushort Id = 32004;

        public ushort FilterId => Id;
        public string Name => "lz4";
        public uint[] GetParameters(uint[] clientValues, uint typeSize, Dictionary<string, object>? options) => [0];

        /// <summary>One block per chunk, stored raw when LZ4 does not shrink it, as H5Zlz4.c does.</summary>
        public Memory<byte> Filter(FilterInfo info)
        {
            if (info.Flags.HasFlag(H5FilterFlags.Decompress))
            {
                throw new NotSupportedException("the bench writes lz4; the Worker's raw path reads it");
            }
            var plain = info.Buffer.Span;
            var output = new byte[16 + LZ4Codec.MaximumOutputSize(plain.Length)];
            BinaryPrimitives.WriteUInt64BigEndian(output, (ulong)plain.Length);
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(8), (uint)plain.Length);
            int length = LZ4Codec.Encode(plain, output.AsSpan(16));
            if (length <= 0 || length >= plain.Length)
            {
                plain.CopyTo(output.AsSpan(16));
                length = plain.Length;
            }
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(12), (uint)length);
            return output.AsMemory(0, 16 + length);
        }
    }

    private sealed class ZstdEncoder : IH5Filter
    {
        public const ushort Id = 32015;

        public ushort FilterId => Id;
        public string Name => "zstd";
        public uint[] GetParameters(uint[] clientValues, uint typeSize, Dictionary<string, object>? options) => [3];

        public Memory<byte> Filter(FilterInfo info)
        {
            if (info.Flags.HasFlag(H5FilterFlags.Decompress))
            {
                throw new NotSupportedException("the bench writes zstd; the Worker's raw path reads it");
            }
            using var compressor = new Compressor(3);
            return compressor.Wrap(info.Buffer.Span).ToArray();
        }
    }
}
