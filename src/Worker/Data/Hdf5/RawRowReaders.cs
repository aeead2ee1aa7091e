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
        ulong[] shape, ulong[] maxShape, int elementSize, long rowBytes, long chunkCacheBytes = ImageDataset.ChunkCacheBytesPerReader,
        Hdf5Limits? limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= Hdf5Limits.Current;
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
        CheckChunks(file, path, storage, shape, elementSize, limits);
        var table = ChunkIndexReader.Read(handle, file, superblock, storage, shape, maxShape, elementSize, cancellationToken);
        if (table is null)
        {
            return (null, null);
        }
        foreach (var (chunk, offset, stored) in table.Stored())
        {
            if (offset < 0 || stored < 0 || stored > limits.MaxChunkBytes * 2 || offset + stored > length)
            {
                throw new EndOfStreamException($"chunk {chunk} needs bytes up to {offset + stored} but the file has {length}: the file is truncated or damaged");
            }
        }
        var filters = storage.Filters;
        var names = filters.Count == 0 ? "" : ", " + string.Join("+", filters.Select(f => f.Name));
        return ($"chunked [{string.Join(",", storage.ChunkDims!)}] {storage.Index}{names} (raw)",
            () => new ChunkedRowReader(file, path, table, filters.Count == 0 ? null : new ChunkDecoder(filters, elementSize),
                elementSize, chunkCacheBytes));
    }

    /// <summary>Refuses a chunk grid or chunk size beyond the limits before the index or any buffer is sized by it.</summary>
    public static void CheckChunks(string file, string path, StorageLayout storage, ulong[] shape, int elementSize, Hdf5Limits limits)
    {
        if (storage.ChunkDims is not { } dims || dims.Length != shape.Length)
        {
            return;
        }
        long chunks = ChunkTable.DeclaredChunks(shape, dims);
        if (chunks > limits.MaxDeclaredChunks)
        {
            throw new DatasetProblemException(file, path, $"declares {chunks} chunks of [{string.Join(",", dims)}] for shape " +
                $"[{string.Join(",", shape)}], more than the limit of {limits.MaxDeclaredChunks} ({Hdf5Limits.SectionName}:MaxDeclaredChunks)");
        }
        UInt128 bytes = (UInt128)(ulong)elementSize;
        foreach (var d in dims)
        {
            bytes = bytes * d > (UInt128)long.MaxValue ? (UInt128)long.MaxValue : bytes * d;
        }
        if (bytes > (UInt128)limits.MaxChunkBytes)
        {
            throw new DatasetProblemException(file, path, $"declares chunks of [{string.Join(",", dims)}] ({bytes} bytes each), more than the limit of " +
                $"{limits.MaxChunkBytes} bytes ({Hdf5Limits.SectionName}:MaxChunkBytes)");
        }
    }
}
