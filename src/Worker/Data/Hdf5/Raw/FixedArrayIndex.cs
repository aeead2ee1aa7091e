using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// The fixed-array chunk index (HDF5 File Format Specification, "Fixed Array Header" and "Fixed
/// Array Data Block"): one entry per chunk in linear order, optionally split into pages of
/// 2^PageBits entries, each page followed by a checksum, with a bitmap of initialised pages.
/// </summary>
internal static class FixedArrayIndex
{
    public static void Fill(ChunkTable table, SafeFileHandle handle, string file, Superblock sb, long headerOffset,
        long chunkBytes, bool filtered, CancellationToken cancellationToken = default)
    {
        int o = sb.OffsetSize, l = sb.LengthSize;
        var header = new byte[4 + 4 + l + o + 4];
        FileBytes.ReadExactly(handle, header, headerOffset, file);
        Expect(header, "FAHD", file);
        int entrySize = header[6], pageBits = header[7];
        ulong entries = FileBytes.ReadUInt(header.AsSpan(8), l);
        ulong dataBlock = FileBytes.ReadUInt(header.AsSpan(8 + l), o);
        if (FileBytes.IsUndefined(dataBlock, o))
        {
            return;
        }
        if ((long)entries != table.Count)
        {
            throw new InvalidDataException($"fixed array has {entries} entries for {table.Count} chunks");
        }
        long blockOffset = (long)(sb.BaseAddress + dataBlock);
        if (pageBits >= 32)
        {
            throw new InvalidDataException($"{Path.GetFileName(file)}: the fixed array declares pages of 2^{pageBits} entries");
        }
        ulong perPage = 1UL << pageBits;
        int sizeLength = entrySize - o - 4;
        if (entries <= perPage)
        {
            var block = FileBytes.Sized(handle, 4 + 2 + o + (long)entries * entrySize, blockOffset, file);
            FileBytes.ReadExactly(handle, block, blockOffset, file);
            Expect(block, "FADB", file);
            Decode(table, 0, (long)entries, block.AsSpan(6 + o), sb, entrySize, sizeLength, chunkBytes, filtered);
            return;
        }
        long pages = (long)((entries + perPage - 1) / perPage);
        int bitmapBytes = (int)((pages + 7) / 8);
        var prefix = FileBytes.Sized(handle, 4 + 2 + o + (long)bitmapBytes + 4, blockOffset, file);
        FileBytes.ReadExactly(handle, prefix, blockOffset, file);
        Expect(prefix, "FADB", file);
        var bitmap = prefix.AsSpan(6 + o, bitmapBytes);
        long pageOffset = blockOffset + prefix.Length;
        long pageStride = (long)perPage * entrySize + 4;
        var page = FileBytes.Sized(handle, (long)perPage * entrySize, pageOffset, file);
        for (long p = 0; p < pages; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if ((bitmap[(int)(p / 8)] & (0x80 >> (int)(p % 8))) == 0)
            {
                continue; // page never written: its chunks read as fill value
            }
            long first = p * (long)perPage;
            long count = Math.Min((long)perPage, (long)entries - first);
            var span = page.AsSpan(0, (int)(count * entrySize));
            FileBytes.ReadExactly(handle, span, pageOffset + p * pageStride, file);
            Decode(table, first, count, span, sb, entrySize, sizeLength, chunkBytes, filtered);
        }
    }

    private static void Decode(ChunkTable table, long first, long count, ReadOnlySpan<byte> elements, Superblock sb,
        int entrySize, int sizeLength, long chunkBytes, bool filtered)
    {
        int o = sb.OffsetSize;
        for (long i = 0; i < count; i++)
        {
            var entry = elements.Slice((int)(i * entrySize), entrySize);
            ulong address = FileBytes.ReadUInt(entry, o);
            if (FileBytes.IsUndefined(address, o))
            {
                continue;
            }
            long size = filtered ? (long)FileBytes.ReadUInt(entry[o..], sizeLength) : chunkBytes;
            uint mask = filtered ? (uint)FileBytes.ReadUInt(entry[(o + sizeLength)..], 4) : 0;
            table.Set(first + i, (long)(sb.BaseAddress + address), size, mask);
        }
    }

    private static void Expect(ReadOnlySpan<byte> block, string signature, string file)
    {
        if (block[0] != signature[0] || block[1] != signature[1] || block[2] != signature[2] || block[3] != signature[3])
        {
            throw new InvalidDataException($"{Path.GetFileName(file)}: expected a {signature} block of the chunk index");
        }
    }
}
