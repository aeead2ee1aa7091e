using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// The chunks of one chunked dataset by linear index, read through the reader's handle and decoded once into a
/// small cache. One thread at a time, like the reader that owns it: its cache, buffers and decoder are its own;
/// the handle stays the reader's. A chunk that fails to decode is a <see cref="DatasetProblemException"/> naming
/// the dataset, the chunk and the rows it holds.
/// </summary>
internal sealed class ChunkSource(string file, string dataset, ChunkTable table, ChunkDecoder? decoder, SafeFileHandle handle,
    int chunkBytes, long cacheBytes) : IDisposable
{
    private readonly ChunkCache _cache = new(chunkBytes, cacheBytes);
    private byte[] _stored = [];
    private byte[] _scratch = [];

    /// <summary>Bytes of chunks read and decoded so far (uncompressed size).</summary>
    public long BytesDecoded { get; private set; }

    /// <summary>Chunk <paramref name="linear"/>'s bytes as the dataset holds them, or null when the file has none stored for it.</summary>
    public byte[]? Get(long linear)
    {
        if (_cache.TryGet(linear, out var cached))
        {
            return cached;
        }
        long offset = table.Offset(linear);
        if (offset == ChunkTable.Missing)
        {
            return null;
        }
        var data = _cache.Add(linear);
        BytesDecoded += chunkBytes;
        try
        {
            if (decoder is null)
            {
                FileBytes.ReadExactly(handle, data.AsSpan(0, chunkBytes), offset, file);
            }
            else
            {
                int stored = checked((int)table.StoredSize(linear));
                Ensure(ref _stored, stored);
                Ensure(ref _scratch, chunkBytes);
                FileBytes.ReadExactly(handle, _stored.AsSpan(0, stored), offset, file);
                decoder.Decode(_stored, stored, table.FilterMask(linear), data, _scratch, chunkBytes);
            }
            return data;
        }
        catch (InvalidDataException ex)
        {
            _cache.Remove(linear);
            throw new DatasetProblemException(file, dataset, $"chunk {linear} ({Describe(linear)}) {ex.Message}", ex);
        }
        catch
        {
            _cache.Remove(linear);
            throw;
        }
    }

    /// <summary>Where a chunk lies: its rows, and its first element when the chunk grid also splits images.</summary>
    private string Describe(long linear)
    {
        var grid = table.Grid;
        var origin = new long[grid.Length];
        for (int d = grid.Length - 1; d >= 0; d--)
        {
            origin[d] = linear % grid[d] * (long)table.ChunkDims[d];
            linear /= grid[d];
        }
        long last = Math.Min(origin[0] + (long)table.ChunkDims[0], (long)table.Shape[0]) - 1;
        string rows = last == origin[0] ? $"row {origin[0]}" : $"rows {origin[0]}–{last}";
        return grid.Skip(1).All(g => g == 1) ? rows : $"{rows}, from element [{string.Join(",", origin)}]";
    }

    private static void Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            buffer = ArrayPool<byte>.Shared.Rent(length);
        }
    }

    public void Dispose()
    {
        decoder?.Dispose();
        _cache.Dispose();
        if (_stored.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_stored);
        }
        if (_scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
        }
    }
}
