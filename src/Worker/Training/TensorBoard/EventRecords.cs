using System.Buffers.Binary;
using System.Numerics;

namespace WebTrainer.Worker.Training.TensorBoard;

/// <summary>
/// TensorFlow's record framing, which TensorBoard's event files use: a little-endian 64-bit length,
/// the masked CRC32C of those 8 bytes, the data, the masked CRC32C of the data. Reading stops at the
/// first record that is cut short or fails its checksums, as a process killed mid-write leaves it.
/// </summary>
internal static class EventRecords
{
    private const uint MaskDelta = 0xa282ead8;

    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>The intact records at the start of <paramref name="stream"/>.</summary>
    public static IEnumerable<byte[]> Read(Stream stream)
    {
        var header = new byte[12];
        var footer = new byte[4];
        while (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)) != MaskedCrc32C(header.AsSpan(0, 8))
                || length > int.MaxValue || (long)length > stream.Length - stream.Position - footer.Length)
            {
                yield break;
            }
            var data = new byte[length];
            stream.ReadExactly(data);
            stream.ReadExactly(footer);
            if (BinaryPrimitives.ReadUInt32LittleEndian(footer) != MaskedCrc32C(data))
            {
                yield break;
            }
            yield return data;
        }
    }

    /// <summary>CRC32C (Castagnoli) rotated and offset, as TensorFlow stores it so that a CRC of data holding CRCs stays strong.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + MaskDelta;
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }
}
