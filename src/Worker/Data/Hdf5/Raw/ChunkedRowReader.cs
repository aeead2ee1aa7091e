using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// Raw-bytes reader of a chunked dataset. Unfiltered chunks that hold whole rows are read straight
/// into the destination, only the rows asked for, with reads of neighbouring chunks merged when they
/// are neighbours in the file too. Anything else reads whole chunks, decodes them once into a small
/// cache (<see cref="ChunkSource"/>), and copies the intersection with the asked rows. One thread at a
/// time: own handle, cache, buffers and decoder.
/// </summary>
internal sealed class ChunkedRowReader : IRowReader
{
    private readonly string _file;
    private readonly ChunkTable _table;
    private readonly bool _filtered;
    private readonly SafeFileHandle _handle;
    private readonly ChunkSource _chunks;
    private readonly long _rowBytes;
    private readonly bool _wholeRows;
    private readonly ChunkRegion _region;

    public ChunkedRowReader(string file, string dataset, ChunkTable table, ChunkDecoder? decoder, int elementSize, long cacheBytes)
    {
        _file = file;
        _table = table;
        _filtered = decoder is not null;
        var shape = table.Shape;
        var chunk = table.ChunkDims;
        int chunkBytes = checked((int)(chunk.Aggregate(1UL, (a, b) => a * b) * (ulong)elementSize));
        _rowBytes = (long)(shape.Skip(1).Aggregate(1UL, (a, b) => a * b) * (ulong)elementSize);
        _wholeRows = Enumerable.Range(1, shape.Length - 1).All(d => chunk[d] == shape[d]);
        _region = new ChunkRegion(shape, chunk, elementSize);
        _handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            _chunks = new ChunkSource(file, dataset, table, decoder, _handle, chunkBytes, cacheBytes);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>Bytes of chunks read and decoded so far (uncompressed size), the cost <see cref="Sampling.ReadCostModel"/> predicts.</summary>
    public long ChunkBytesDecoded => _chunks.BytesDecoded;

    public void ReadRun(long firstRow, int count, Span<byte> destination)
    {
        if (!_filtered && _wholeRows)
        {
            ReadDirect(firstRow, count, destination);
        }
        else
        {
            ReadThroughChunks(firstRow, count, destination);
        }
    }

    public void WillRead(long firstRow, int count)
    {
        long c0 = (long)_table.ChunkDims[0], end = firstRow + count, innerChunks = _table.Count / _table.Grid[0];
        long pendingOffset = 0, pendingLength = 0;
        for (long g0 = firstRow / c0; g0 * c0 < end; g0++)
        {
            for (long inner = 0; inner < innerChunks; inner++)
            {
                long linear = g0 * innerChunks + inner, offset = _table.Offset(linear), length;
                if (offset == ChunkTable.Missing)
                {
                    continue;
                }
                if (!_filtered && _wholeRows)
                {
                    // Only the rows asked for, as ReadDirect reads them.
                    long lo = Math.Max(firstRow, g0 * c0), hi = Math.Min(end, (g0 + 1) * c0);
                    offset += (lo - g0 * c0) * _rowBytes;
                    length = (hi - lo) * _rowBytes;
                }
                else
                {
                    length = _table.StoredSize(linear);
                }
                if (pendingLength > 0 && pendingOffset + pendingLength == offset)
                {
                    pendingLength += length;
                    continue;
                }
                FileBytes.WillNeed(_handle, pendingOffset, pendingLength);
                (pendingOffset, pendingLength) = (offset, length);
            }
        }
        FileBytes.WillNeed(_handle, pendingOffset, pendingLength);
    }

    private void ReadDirect(long firstRow, int count, Span<byte> destination)
    {
        long c0 = (long)_table.ChunkDims[0], end = firstRow + count;
        long pendingOffset = 0, pendingLength = 0, pendingTarget = 0;
        for (long row = firstRow; row < end;)
        {
            long chunk = row / c0, rows = Math.Min(end, (chunk + 1) * c0) - row;
            long target = (row - firstRow) * _rowBytes, length = rows * _rowBytes;
            long offset = _table.Offset(chunk);
            if (offset == ChunkTable.Missing)
            {
                Flush(destination, pendingOffset, pendingLength, pendingTarget);
                pendingLength = 0;
                destination.Slice((int)target, (int)length).Clear();
            }
            else
            {
                offset += (row - chunk * c0) * _rowBytes;
                if (pendingLength > 0 && pendingOffset + pendingLength == offset && pendingTarget + pendingLength == target)
                {
                    pendingLength += length;
                }
                else
                {
                    Flush(destination, pendingOffset, pendingLength, pendingTarget);
                    (pendingOffset, pendingLength, pendingTarget) = (offset, length, target);
                }
            }
            row += rows;
        }
        Flush(destination, pendingOffset, pendingLength, pendingTarget);
    }

    private void Flush(Span<byte> destination, long offset, long length, long target)
    {
        if (length > 0)
        {
            FileBytes.ReadExactly(_handle, destination.Slice((int)target, (int)length), offset, _file);
        }
    }

    /// <summary>
    /// Rows that share chunks are served from one decode of each chunk: the runs of a batch that fall
    /// into the same row of chunks are copied chunk by chunk, so a batch costs each chunk it touches
    /// once however many of its images lie in it (what h5py's sorted fancy index does too). Without
    /// this, each image re-reads every chunk it spans once the chunks of one chunk row outgrow the cache.
    /// </summary>
    public void ReadRows(ReadOnlySpan<long> sortedRows, Span<byte> destination, long rowBytes)
    {
        if (!_filtered && _wholeRows)
        {
            for (int i = 0, run; i < sortedRows.Length; i += run)
            {
                run = RowRuns.Length(sortedRows, i);
                ReadDirect(sortedRows[i], run, destination.Slice((int)(i * rowBytes), (int)(run * rowBytes)));
            }
            return;
        }
        long c0 = (long)_table.ChunkDims[0];
        var runs = new List<(int Index, int Count)>();
        for (int i = 0; i < sortedRows.Length;)
        {
            long g0 = sortedRows[i] / c0;
            runs.Clear();
            while (i < sortedRows.Length && sortedRows[i] / c0 == g0)
            {
                int run = 1;
                while (i + run < sortedRows.Length && sortedRows[i + run] == sortedRows[i] + run && sortedRows[i + run] / c0 == g0)
                {
                    run++;
                }
                runs.Add((i, run));
                i += run;
            }
            ReadChunkRow(g0, runs, sortedRows, destination);
        }
    }

    private void ReadThroughChunks(long firstRow, int count, Span<byte> destination)
    {
        Span<long> rows = count <= 256 ? stackalloc long[count] : new long[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = firstRow + i;
        }
        ReadRows(rows, destination, _rowBytes);
    }

    /// <summary>Copies every run of chunk row <paramref name="g0"/> out of its chunks, decoding each chunk once.</summary>
    private void ReadChunkRow(long g0, List<(int Index, int Count)> runs, ReadOnlySpan<long> sortedRows, Span<byte> destination)
    {
        var shape = _table.Shape;
        var chunkDims = _table.ChunkDims;
        var grid = _table.Grid;
        int rank = shape.Length;
        long c0 = (long)chunkDims[0];
        long innerChunks = 1;
        for (int d = 1; d < rank; d++)
        {
            innerChunks *= grid[d];
        }
        Span<long> position = stackalloc long[rank];
        Span<long> origin = stackalloc long[rank];
        Span<long> extent = stackalloc long[rank];
        for (long inner = 0; inner < innerChunks; inner++)
        {
            long rest = inner;
            for (int d = rank - 1; d >= 1; d--)
            {
                position[d] = rest % grid[d];
                rest /= grid[d];
                origin[d] = position[d] * (long)chunkDims[d];
                extent[d] = Math.Min((long)chunkDims[d], (long)shape[d] - origin[d]);
            }
            var data = _chunks.Get(g0 * innerChunks + inner);
            foreach (var (index, count) in runs)
            {
                long first = sortedRows[index];
                origin[0] = first;
                extent[0] = count;
                _region.Copy(data, first - g0 * c0, origin, extent, first,
                    destination.Slice((int)(index * _rowBytes), (int)(count * _rowBytes)));
            }
        }
    }

    public void Dispose()
    {
        _chunks.Dispose();
        _handle.Dispose();
    }
}
