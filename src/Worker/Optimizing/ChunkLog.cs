namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// Where each compressed chunk of a deflated output went: an append-only file of fixed records
/// (dataset, row, file offset, size), flushed with the data before the journal counts the rows, so
/// the records the journal counts are a prefix of the file and a resumed run drops the rest.
/// </summary>
internal sealed class ChunkLog : IDisposable
{
    private const int RecordBytes = 4 + 8 + 8 + 4;
    private readonly FileStream _stream;
    private readonly byte[] _record = new byte[RecordBytes];

    private ChunkLog(FileStream stream, Dictionary<int, (long[] Offsets, int[] Sizes)> chunks)
    {
        _stream = stream;
        Chunks = chunks;
    }

    /// <summary>Per dataset ordinal: each row's chunk offset in the file and stored size.</summary>
    public Dictionary<int, (long[] Offsets, int[] Sizes)> Chunks { get; }

    /// <summary>Opens the log keeping the first <paramref name="rowsDone"/> records (what the journal counts).</summary>
    public static ChunkLog Open(string path, IReadOnlyList<long> rowCounts, long rowsDone)
    {
        var chunks = Enumerable.Range(0, rowCounts.Count).ToDictionary(i => i, i => (new long[rowCounts[i]], new int[rowCounts[i]]));
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length < rowsDone * RecordBytes)
        {
            stream.Dispose();
            throw new InvalidDataException($"the chunk log has {stream.Length / RecordBytes} records but the journal counts {rowsDone} rows");
        }
        var record = new byte[RecordBytes];
        for (long i = 0; i < rowsDone; i++)
        {
            stream.ReadExactly(record);
            int ordinal = BitConverter.ToInt32(record, 0);
            long row = BitConverter.ToInt64(record, 4);
            chunks[ordinal].Item1[row] = BitConverter.ToInt64(record, 12);
            chunks[ordinal].Item2[row] = BitConverter.ToInt32(record, 20);
        }
        stream.SetLength(rowsDone * RecordBytes);
        return new ChunkLog(stream, chunks);
    }

    public void Add(int ordinal, long row, long offset, int size)
    {
        BitConverter.TryWriteBytes(_record.AsSpan(0), ordinal);
        BitConverter.TryWriteBytes(_record.AsSpan(4), row);
        BitConverter.TryWriteBytes(_record.AsSpan(12), offset);
        BitConverter.TryWriteBytes(_record.AsSpan(20), size);
        _stream.Write(_record);
        Chunks[ordinal].Offsets[row] = offset;
        Chunks[ordinal].Sizes[row] = size;
    }

    public void Flush() => _stream.Flush(flushToDisk: true);

    public void Dispose() => _stream.Dispose();
}
