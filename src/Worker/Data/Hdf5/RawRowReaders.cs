using Microsoft.Win32.SafeHandles;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Picks the raw-bytes reader for a dataset's storage, rows along its first axis: contiguous, or
/// chunked under any index <see cref="ChunkIndexReader"/> knows with filters <see cref="ChunkDecoder"/>
/// undoes. Values come back in stored byte order. Null when there is none, and PureHDF reads instead.
/// </summary>
internal static class RawRowReaders
{
    public static (string? ReadPath, Func<IRowReader>? Open) Open(string file, string path, SafeFileHandle handle, StorageLayout storage,
        ulong[] shape, ulong[] maxShape, int elementSize, long rowBytes, long chunkCacheBytes = ImageDataset.ChunkCacheBytesPerReader)
    {
        long length = RandomAccess.GetLength(handle);
        var superblock = Superblock.Read(handle, file);
        if (storage.Class == StorageLayout.Contiguous && storage.Filters.Count == 0)
        {
            if (FileBytes.IsUndefined(storage.Address, superblock.OffsetSize))
            {
                return (null, null); // never written: PureHDF returns the fill value
            }
            long offset = (long)(superblock.BaseAddress + storage.Address);
            long end = offset + rowBytes * (long)shape[0];
            if (end > length)
            {
                throw new EndOfStreamException($"the data needs bytes up to {end} but the file has {length}: the file is truncated");
            }
            return ("contiguous (raw)", () => new ContiguousRowReader(file, offset, rowBytes));
        }
        bool partialEdgesUnfiltered = (storage.ChunkFlags & 1) != 0 && storage.Filters.Count > 0;
        if (storage.Class != StorageLayout.Chunked || partialEdgesUnfiltered || !ChunkDecoder.Supports(storage.Filters))
        {
            return (null, null);
        }
        var table = ChunkIndexReader.Read(handle, file, superblock, storage, shape, maxShape, elementSize);
        if (table is null)
        {
            return (null, null);
        }
        for (int i = 0; i < table.Count; i++)
        {
            if (table.Offsets[i] != ChunkTable.Missing && table.Offsets[i] + table.StoredSizes[i] > length)
            {
                throw new EndOfStreamException($"chunk {i} needs bytes up to {table.Offsets[i] + table.StoredSizes[i]} but the file has {length}: the file is truncated");
            }
        }
        var filters = storage.Filters;
        var names = filters.Count == 0 ? "" : ", " + string.Join("+", filters.Select(f => f.Name));
        return ($"chunked [{string.Join(",", storage.ChunkDims!)}] {storage.Index}{names} (raw)",
            () => new ChunkedRowReader(file, path, table, filters.Count == 0 ? null : new ChunkDecoder(filters, elementSize),
                elementSize, chunkCacheBytes));
    }
}
