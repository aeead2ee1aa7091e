using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// The HDF5 LZ4 filter's chunk format (id 32004, H5Zlz4.c of hdf5plugin and Debian's
/// hdf5-filter-plugin): an 8-byte big-endian decoded size, a 4-byte big-endian block size, then per
/// block a 4-byte big-endian stored size and the block, an LZ4 block or, when the stored size equals
/// the block size (compression saved nothing), the bytes as they are. The last block may be shorter.
/// </summary>
internal static class Lz4Frames
{
    private const int HeaderBytes = 12;

    public static void Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length < HeaderBytes)
        {
            throw new InvalidDataException($"lz4 chunk of {input.Length} bytes is shorter than its 12-byte header");
        }
        ulong total = BinaryPrimitives.ReadUInt64BigEndian(input);
        long blockSize = BinaryPrimitives.ReadUInt32BigEndian(input[8..]);
        if (total != (ulong)output.Length)
        {
            throw new InvalidDataException($"lz4 chunk says it decodes to {total} bytes, expected {output.Length}");
        }
        blockSize = Math.Min(blockSize, output.Length);
        if (blockSize == 0 && output.Length > 0)
        {
            throw new InvalidDataException("lz4 chunk has a block size of 0");
        }
        int ip = HeaderBytes, op = 0;
        while (op < output.Length)
        {
            int block = (int)Math.Min(blockSize, output.Length - op);
            if (ip + 4 > input.Length)
            {
                throw new InvalidDataException($"lz4 chunk ends before its block at output byte {op}");
            }
            long stored = BinaryPrimitives.ReadUInt32BigEndian(input[ip..]);
            ip += 4;
            if (stored > input.Length - ip)
            {
                throw new InvalidDataException($"lz4 block of {stored} bytes at input byte {ip} runs past the end of the chunk");
            }
            var source = input.Slice(ip, (int)stored);
            var target = output.Slice(op, block);
            if (stored == block)
            {
                source.CopyTo(target);
            }
            else if (LZ4Codec.Decode(source, target) != block)
            {
                throw new InvalidDataException($"lz4 block at input byte {ip} is corrupt or does not decode to {block} bytes");
            }
            ip += (int)stored;
            op += block;
        }
    }
}
