using PureHDF;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// The resumable output's frame: PureHDF writes the file's metadata with each image dataset's space
/// reserved (contiguous data, or the implicit chunk index of unfiltered one-image chunks, whose
/// chunks lie at fixed places), and this finds where each dataset's rows start. Deflated datasets
/// get a fixed-array chunk index from PureHDF with no chunks in it; their compressed chunks are
/// appended to the file and <see cref="WriteChunkIndex"/> fills the index in at the end.
/// </summary>
internal static class OutputSkeleton
{
    /// <summary>Writes every group, attribute and small dataset, with the image datasets' space reserved but not written.</summary>
    public static void Write(OutputTree tree, string partial, H5WriteOptions options)
    {
        using (tree.File.BeginWrite(partial, options))
        {
        }
        using var handle = File.OpenHandle(partial, FileMode.Open, FileAccess.ReadWrite);
        var superblock = Superblock.Read(handle, partial);
        long end = (long)(superblock.BaseAddress + superblock.EndOfFileAddress);
        if (RandomAccess.GetLength(handle) < end)
        {
            // The reserved data space ends the file; make it exist (sparse) so the file has the length its header says.
            RandomAccess.SetLength(handle, end);
        }
    }

    /// <summary>Where each image dataset's rows start in the partial file: contiguous data, or the first chunk of an implicit index.</summary>
    public static Dictionary<string, long> DataOffsets(string partial, OutputTree tree)
    {
        var offsets = new Dictionary<string, long>();
        using var handle = File.OpenHandle(partial, FileMode.Open, FileAccess.Read);
        var superblock = Superblock.Read(handle, partial);
        long length = RandomAccess.GetLength(handle);
        using var h5 = Hdf5Files.Open(partial);
        foreach (var image in tree.Images)
        {
            var layout = PureHdfInternals.Layout(Hdf5Files.Dataset(h5, partial, image.Path));
            bool placed = layout is { Class: StorageLayout.Contiguous } or { Class: StorageLayout.Chunked, Index: ChunkIndexKind.Implicit };
            if (!placed || FileBytes.IsUndefined(layout!.Address, superblock.OffsetSize))
            {
                throw new InvalidOperationException($"the new file's {image.Path} got no reserved space ({layout?.Class} {layout?.Index}); this PureHDF version is not the one the optimiser knows");
            }
            long offset = (long)(superblock.BaseAddress + layout.Address);
            if (offset + image.Source.Count * image.Source.RowBytes > length)
            {
                throw new InvalidOperationException($"the new file's {image.Path} reserves space beyond the file's end");
            }
            offsets[image.Path] = offset;
        }
        return offsets;
    }

    /// <summary>Fills each deflated dataset's fixed-array data block with its chunks, and sets the superblock's end of file.</summary>
    public static void WriteChunkIndex(string partial, OutputTree tree, ChunkLog log, long end)
    {
        using var handle = File.OpenHandle(partial, FileMode.Open, FileAccess.ReadWrite);
        var superblock = Superblock.Read(handle, partial);
        int o = superblock.OffsetSize;
        using (var h5 = Hdf5Files.Open(partial))
        {
            for (int ordinal = 0; ordinal < tree.Images.Count; ordinal++)
            {
                var image = tree.Images[ordinal];
                var layout = PureHdfInternals.Layout(Hdf5Files.Dataset(h5, partial, image.Path));
                if (layout is not { Class: StorageLayout.Chunked, Index: ChunkIndexKind.FixedArray })
                {
                    throw new InvalidOperationException($"the new file's {image.Path} has no fixed-array chunk index ({layout?.Class} {layout?.Index})");
                }
                var (offsets, sizes) = log.Chunks[ordinal];
                FillFixedArray(handle, partial, superblock, (long)(superblock.BaseAddress + layout.Address), offsets, sizes);
            }
        }
        // Superblock version 2/3: signature, 4 bytes of versions and sizes, base, extension, end of file, root, checksum.
        var bytes = new byte[12 + 4 * o + 4];
        FileBytes.ReadExactly(handle, bytes, 0, partial);
        if (bytes[8] is not (2 or 3))
        {
            throw new InvalidOperationException($"the new file has superblock version {bytes[8]}; the optimiser writes only versions 2 and 3");
        }
        Put(bytes.AsSpan(12 + 2 * o), (ulong)end - superblock.BaseAddress, o);
        BitConverter.TryWriteBytes(bytes.AsSpan(12 + 4 * o), Lookup3.Hash(bytes.AsSpan(0, 12 + 4 * o)));
        RandomAccess.Write(handle, bytes, 0);
        RandomAccess.SetLength(handle, end);
    }

    /// <summary>Rewrites an unpaged fixed-array data block: entries of chunk address, stored size and filter mask 0; then its checksum.</summary>
    private static void FillFixedArray(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string file, Superblock superblock, long headerOffset,
        long[] offsets, int[] sizes)
    {
        int o = superblock.OffsetSize, l = superblock.LengthSize;
        var header = new byte[4 + 4 + l + o + 4];
        FileBytes.ReadExactly(handle, header, headerOffset, file);
        int entrySize = header[6], pageBits = header[7];
        ulong entries = FileBytes.ReadUInt(header.AsSpan(8), l);
        ulong dataBlock = FileBytes.ReadUInt(header.AsSpan(8 + l), o);
        int sizeLength = entrySize - o - 4;
        if (header.AsSpan(0, 4).SequenceEqual("FAHD"u8) is false || (long)entries != offsets.Length || entries > 1UL << pageBits
            || FileBytes.IsUndefined(dataBlock, o) || sizeLength is < 1 or > 8)
        {
            throw new InvalidOperationException("the new file's fixed-array chunk index is not laid out as the optimiser expects");
        }
        long blockOffset = (long)(superblock.BaseAddress + dataBlock);
        var block = new byte[4 + 2 + o + (int)entries * entrySize + 4];
        FileBytes.ReadExactly(handle, block, blockOffset, file);
        if (!block.AsSpan(0, 4).SequenceEqual("FADB"u8))
        {
            throw new InvalidOperationException("the new file's fixed-array data block is missing");
        }
        for (int i = 0; i < offsets.Length; i++)
        {
            if ((ulong)sizes[i] >= 1UL << (8 * sizeLength) || sizes[i] == 0)
            {
                throw new InvalidOperationException($"chunk {i} has a stored size of {sizes[i]} bytes, which its index cannot hold");
            }
            var entry = block.AsSpan(6 + o + i * entrySize, entrySize);
            Put(entry, (ulong)offsets[i] - superblock.BaseAddress, o);
            Put(entry[o..], (ulong)sizes[i], sizeLength);
            entry[(o + sizeLength)..].Clear();
        }
        BitConverter.TryWriteBytes(block.AsSpan(block.Length - 4), Lookup3.Hash(block.AsSpan(0, block.Length - 4)));
        RandomAccess.Write(handle, block, blockOffset);
    }

    private static void Put(Span<byte> target, ulong value, int size)
    {
        for (int i = 0; i < size; i++)
        {
            target[i] = (byte)(value >> (8 * i));
        }
    }
}
