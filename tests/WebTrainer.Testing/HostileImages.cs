using System.Buffers.Binary;
using System.IO.Compression;

namespace WebTrainer.Testing;

/// <summary>Hostile images written at test time.</summary>
public static class HostileImages
{
    /// <summary>
    /// A PNG of a few KB whose header declares <paramref name="width"/>x<paramref name="height"/> grey pixels
    /// (40000x40000: 6.4 GB as the RGBA bitmap a naive decoder allocates first) and whose data holds only
    /// its first <paramref name="rows"/> rows, all zero: a decoder that trusts the header allocates before it finds out.
    /// </summary>
    public static byte[] PngBomb(int width = 40_000, int height = 40_000, int rows = 16)
    {
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), default compression, filter and interlace
        Chunk(png, "IHDR", header);
        var data = new MemoryStream();
        using (var zlib = new ZLibStream(data, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte 0, then the row's pixels
            for (int y = 0; y < Math.Min(rows, height); y++)
            {
                zlib.Write(row);
            }
        }
        Chunk(png, "IDAT", data.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(typed, 0);
        data.CopyTo(typed, 4);
        png.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, as zlib's crc32).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
