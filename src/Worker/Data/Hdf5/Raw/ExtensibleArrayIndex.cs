using System.Numerics;
using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// The extensible-array chunk index that libhdf5 writes with the latest format for a dataset with one
/// unlimited axis (h5py: <c>libver="latest"</c>, <c>maxshape=(None, ...)</c>). HDF5 File Format
/// Specification, "Extensible Array Header" (EAHD), "Index Block" (EAIB), "Secondary Block" (EASB) and
/// "Data Block" (EADB): the first elements sit in the index block, then data blocks doubling in size,
/// listed by the index block for the first super blocks and by secondary blocks after that; data blocks
/// larger than a page are stored as checksummed pages, which a secondary block's bitmap marks as written.
/// Element i is the chunk whose coordinates, scaled by the chunk size, have row-major index i over the
/// maximum chunk counts of the axes, taken with the unlimited axis first.
/// </summary>
internal static class ExtensibleArrayIndex
{
    /// <summary>Fills <paramref name="table"/>; false when the array is laid out in a way this reader does not know.</summary>
    public static bool Fill(ChunkTable table, SafeFileHandle handle, string file, Superblock sb, long headerOffset,
        ulong[] maxShape, long chunkBytes, bool filtered, CancellationToken cancellationToken = default)
    {
        if (!ElementOrder(table, maxShape, out var axes, out var strides))
        {
            return false;
        }
        int o = sb.OffsetSize, l = sb.LengthSize;
        var header = new byte[4 + 1 + 1 + 6 + 6 * l + o + 4];
        FileBytes.ReadExactly(handle, header, headerOffset, file);
        Expect(header, "EAHD", file);
        int elementSize = header[6], maxElementBits = header[7], indexElements = header[8];
        int dataBlockMinElements = header[9], superBlockMinPointers = header[10], pageBits = header[11];
        ulong maxIndexSet = FileBytes.ReadUInt(header.AsSpan(12 + 4 * l), l);
        ulong indexBlock = FileBytes.ReadUInt(header.AsSpan(12 + 6 * l), o);
        bool knownElements = filtered ? SizeLength(elementSize, o) is >= 1 and <= 8 : elementSize == o;
        if (header[4] != 0 || header[5] != (filtered ? 1 : 0) || !knownElements
            || !BitOperations.IsPow2(dataBlockMinElements) || !BitOperations.IsPow2(superBlockMinPointers))
        {
            return false;
        }
        if (maxElementBits is < 1 or > 62 || pageBits > 30 || BitOperations.Log2((uint)dataBlockMinElements) > maxElementBits)
        {
            throw new InvalidDataException($"{Path.GetFileName(file)}: the extensible array declares 2^{maxElementBits} elements in pages of 2^{pageBits}");
        }
        // Elements past the current extent's chunks are never read, whatever the header claims was set.
        maxIndexSet = Math.Min(maxIndexSet, (ulong)(strides[0] * table.Grid[axes[0]]));
        if (FileBytes.IsUndefined(indexBlock, o) || maxIndexSet == 0)
        {
            return true; // nothing written yet: every chunk reads as fill value
        }
        var array = new Layout(sb, table, axes, strides, elementSize, chunkBytes, filtered, maxIndexSet);

        // Index block: elements, then data block addresses of the first super blocks, then secondary block addresses.
        int superBlocks = 1 + maxElementBits - BitOperations.Log2((uint)dataBlockMinElements);
        int indexSuperBlocks = 2 * BitOperations.Log2((uint)superBlockMinPointers);
        int indexDataBlocks = 2 * (superBlockMinPointers - 1);
        int secondaryBlocks = superBlocks - indexSuperBlocks;
        int prefix = 4 + 1 + 1 + o;
        var index = FileBytes.Sized(handle, prefix + (long)indexElements * elementSize + (long)(indexDataBlocks + secondaryBlocks) * o,
            (long)(sb.BaseAddress + indexBlock), file);
        FileBytes.ReadExactly(handle, index, (long)(sb.BaseAddress + indexBlock), file);
        Expect(index, "EAIB", file);
        array.Decode(0, indexElements, index.AsSpan(prefix));
        var addresses = index.AsSpan(prefix + indexElements * elementSize);

        int arrayOffsetSize = (maxElementBits + 7) / 8;
        long pageElements = 1L << pageBits;
        ulong start = (ulong)indexElements;
        int dataBlock = 0;
        for (int s = 0; s < superBlocks && start < maxIndexSet; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long blocks = 1L << (s / 2), blockElements = (1L << ((s + 1) / 2)) * dataBlockMinElements;
            bool paged = blockElements > pageElements;
            if (s < indexSuperBlocks)
            {
                if (paged)
                {
                    return false; // libhdf5 never pages these small blocks; an array that does is not one it wrote
                }
                for (long b = 0; b < blocks; b++, dataBlock++, start += (ulong)blockElements)
                {
                    ulong address = FileBytes.ReadUInt(addresses[(dataBlock * o)..], o);
                    array.ReadDataBlock(handle, file, address, start, blockElements, prefix + arrayOffsetSize);
                }
                continue;
            }
            ulong secondary = FileBytes.ReadUInt(addresses[((indexDataBlocks + s - indexSuperBlocks) * o)..], o);
            if (!FileBytes.IsUndefined(secondary, o))
            {
                long pages = paged ? blockElements / pageElements : 0;
                // Room for each block's page bits rounded up to whole bytes, though the bits are numbered across blocks.
                int bitmapBytes = (int)(blocks * ((pages + 7) / 8));
                var block = FileBytes.Sized(handle, prefix + arrayOffsetSize + (long)bitmapBytes + blocks * o, (long)(sb.BaseAddress + secondary), file);
                FileBytes.ReadExactly(handle, block, (long)(sb.BaseAddress + secondary), file);
                Expect(block, "EASB", file);
                var bitmap = block.AsSpan(prefix + arrayOffsetSize, bitmapBytes).ToArray();
                for (long b = 0; b < blocks && start + (ulong)(b * blockElements) < maxIndexSet; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ulong address = FileBytes.ReadUInt(block.AsSpan(prefix + arrayOffsetSize + bitmapBytes + (int)b * o), o);
                    array.ReadDataBlock(handle, file, address, start + (ulong)(b * blockElements), blockElements,
                        prefix + arrayOffsetSize, paged ? new Pages(pageElements, bitmap, b * pages) : null);
                }
            }
            start += (ulong)(blocks * blockElements);
        }
        return true;
    }

    /// <summary>
    /// The axes in element order (the unlimited one first, then the others in order, as libhdf5 swizzles them)
    /// and the element stride of each, row-major over the axes' maximum chunk counts; false unless exactly
    /// one axis is unlimited.
    /// </summary>
    private static bool ElementOrder(ChunkTable table, ulong[] maxShape, out int[] axes, out long[] strides)
    {
        int rank = table.Shape.Length;
        int unlimited = Array.IndexOf(maxShape, ulong.MaxValue);
        axes = [];
        strides = [];
        if (maxShape.Length != rank || unlimited < 0 || maxShape.Count(m => m == ulong.MaxValue) != 1)
        {
            return false;
        }
        axes = [unlimited, .. Enumerable.Range(0, rank).Where(d => d != unlimited)];
        strides = new long[rank];
        strides[rank - 1] = 1;
        for (int k = rank - 2; k >= 0; k--)
        {
            int next = axes[k + 1];
            strides[k] = strides[k + 1] * (long)((maxShape[next] + table.ChunkDims[next] - 1) / table.ChunkDims[next]);
        }
        return true;
    }

    private static int SizeLength(int elementSize, int offsetSize) => elementSize - offsetSize - 4;

    private static void Expect(ReadOnlySpan<byte> block, string signature, string file)
    {
        if (block[0] != signature[0] || block[1] != signature[1] || block[2] != signature[2] || block[3] != signature[3])
        {
            throw new InvalidDataException($"{Path.GetFileName(file)}: expected a {signature} block of the chunk index");
        }
    }

    /// <summary>How elements map to chunks, and the data block reads that fill the table.</summary>
    private sealed class Layout(Superblock sb, ChunkTable table, int[] axes, long[] strides, int elementSize, long chunkBytes,
        bool filtered, ulong maxIndexSet)
    {
        private readonly ulong[] _elementCoordinates = new ulong[table.Shape.Length];

        /// <param name="pages">How a paged block is split, and which of its pages were written; null for a block in one piece.</param>
        public void ReadDataBlock(SafeFileHandle handle, string file, ulong address, ulong first, long count, int prefix,
            Pages? pages = null)
        {
            int o = sb.OffsetSize;
            if (FileBytes.IsUndefined(address, o) || first >= maxIndexSet)
            {
                return; // never written: its chunks read as fill value
            }
            long offset = (long)(sb.BaseAddress + address);
            if (pages is null)
            {
                var block = FileBytes.Sized(handle, prefix + count * elementSize, offset, file);
                FileBytes.ReadExactly(handle, block, offset, file);
                Expect(block, "EADB", file);
                Decode(first, count, block.AsSpan(prefix));
                return;
            }
            // Paged: the block's prefix and its checksum, then pages of elements, each followed by its checksum.
            var page = FileBytes.Sized(handle, pages.Elements * elementSize, offset, file);
            long pagesStart = offset + prefix + 4;
            for (long p = 0; p < count / pages.Elements; p++)
            {
                if (pages.Written(p))
                {
                    FileBytes.ReadExactly(handle, page, pagesStart + p * (page.Length + 4), file);
                    Decode(first + (ulong)(p * pages.Elements), pages.Elements, page);
                }
            }
        }

        public void Decode(ulong first, long count, ReadOnlySpan<byte> elements)
        {
            int o = sb.OffsetSize, sizeLength = SizeLength(elementSize, o);
            for (long i = 0; i < count && first + (ulong)i < maxIndexSet; i++)
            {
                var entry = elements.Slice((int)(i * elementSize), elementSize);
                ulong address = FileBytes.ReadUInt(entry, o);
                if (FileBytes.IsUndefined(address, o) || !ChunkOf((long)first + i, out long linear))
                {
                    continue;
                }
                long size = filtered ? (long)FileBytes.ReadUInt(entry[o..], sizeLength) : chunkBytes;
                uint mask = filtered ? (uint)FileBytes.ReadUInt(entry[(o + sizeLength)..], 4) : 0;
                table.Set(linear, (long)(sb.BaseAddress + address), size, mask);
            }
        }

        /// <summary>The table's linear index of array element <paramref name="element"/>; false for a chunk outside the current extent.</summary>
        private bool ChunkOf(long element, out long linear)
        {
            for (int k = 0; k < axes.Length; k++)
            {
                int axis = axes[k];
                long chunk = element / strides[k];
                element %= strides[k];
                if (chunk >= table.Grid[axis])
                {
                    linear = -1;
                    return false; // a dataset shrunk after writing keeps chunks past its end
                }
                _elementCoordinates[axis] = (ulong)chunk * table.ChunkDims[axis];
            }
            linear = table.LinearIndexOfElement(_elementCoordinates);
            return true;
        }
    }

    /// <summary>The pages of one data block: their size, and their bits (most significant first) in the secondary block's bitmap.</summary>
    private sealed record Pages(long Elements, byte[] Bitmap, long FirstBit)
    {
        public bool Written(long page) => (Bitmap[(FirstBit + page) / 8] & (0x80 >> (int)((FirstBit + page) % 8))) != 0;
    }
}
