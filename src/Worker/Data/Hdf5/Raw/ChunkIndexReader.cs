using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// Builds a <see cref="ChunkTable"/> from every chunk index HDF5 has: the version-1 B-tree (libhdf5's
/// and h5py's default), and the single-chunk, implicit, fixed-array, extensible-array and version-2
/// B-tree indexes of layout v4 (what PureHDF writes, and libhdf5 with the latest format, the last two
/// for resizable datasets). Returns null for an index laid out in a way these readers do not know,
/// which PureHDF's own reader then serves.
/// </summary>
internal static class ChunkIndexReader
{
    /// <param name="maxShape">The dataspace's maximum extent (<see cref="ulong.MaxValue"/> for unlimited), which the extensible array's element order follows.</param>
    public static ChunkTable? Read(SafeFileHandle handle, string file, Superblock superblock, StorageLayout layout,
        ulong[] shape, ulong[] maxShape, int elementSize, CancellationToken cancellationToken = default)
    {
        if (layout.ChunkDims is not { } chunkDims || chunkDims.Length != shape.Length || chunkDims.Any(c => c == 0))
        {
            return null;
        }
        long chunkBytes = (long)chunkDims.Aggregate(1UL, (a, b) => a * b) * elementSize;
        if (FileBytes.IsUndefined(layout.Address, superblock.OffsetSize))
        {
            return new ChunkTable(shape, chunkDims); // nothing written yet: every chunk reads as fill value
        }
        long start = (long)(superblock.BaseAddress + layout.Address);
        if (layout.Index == ChunkIndexKind.Implicit)
        {
            return ChunkTable.Implicit(shape, chunkDims, start, chunkBytes);
        }
        var table = new ChunkTable(shape, chunkDims);
        switch (layout.Index)
        {
            case ChunkIndexKind.SingleChunk:
                bool filtered = layout.Filters.Count > 0;
                table.Set(0, start, filtered ? (long)layout.SingleChunkStoredSize : chunkBytes, filtered ? layout.SingleChunkFilterMask : 0);
                return table;
            case ChunkIndexKind.FixedArray:
                FixedArrayIndex.Fill(table, handle, file, superblock, start, chunkBytes, layout.Filters.Count > 0, cancellationToken);
                return table;
            case ChunkIndexKind.BTree1:
                BTree1Index.Fill(table, handle, file, superblock, start, chunkBytes, cancellationToken);
                return table;
            case ChunkIndexKind.ExtensibleArray:
                return ExtensibleArrayIndex.Fill(table, handle, file, superblock, start, maxShape, chunkBytes, layout.Filters.Count > 0, cancellationToken)
                    ? table
                    : null;
            case ChunkIndexKind.BTree2:
                return BTree2Index.Fill(table, handle, file, superblock, start, chunkBytes, layout.Filters.Count > 0, cancellationToken) ? table : null;
            default:
                return null;
        }
    }
}
