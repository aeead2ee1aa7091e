using System.Buffers;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// A few decoded chunks of one reader, least recently used out first. Batches sorted by row and
/// chunk-aligned sampling touch each chunk in a short burst, so a handful of chunks is enough;
/// the byte limit keeps big chunks from costing much memory per reader.
/// </summary>
internal sealed class ChunkCache : IDisposable
{
    private readonly LinkedList<(long Index, byte[] Data)> _entries = new();
    private readonly int _capacity;
    private readonly int _chunkBytes;

    public ChunkCache(int chunkBytes, long budgetBytes)
    {
        _chunkBytes = chunkBytes;
        _capacity = (int)Math.Clamp(budgetBytes / Math.Max(1, chunkBytes), 1, 64);
    }

    public int Capacity => _capacity;

    public bool TryGet(long index, out byte[] data)
    {
        for (var node = _entries.First; node is not null; node = node.Next)
        {
            if (node.Value.Index == index)
            {
                _entries.Remove(node);
                _entries.AddFirst(node);
                data = node.Value.Data;
                return true;
            }
        }
        data = [];
        return false;
    }

    /// <summary>A buffer to decode chunk <paramref name="index"/> into, now the most recent entry.</summary>
    public byte[] Add(long index)
    {
        if (_entries.Count >= _capacity)
        {
            // The evicted node and its buffer are reused: a warm cache allocates nothing per chunk.
            var last = _entries.Last!;
            _entries.RemoveLast();
            last.Value = (index, last.Value.Data);
            _entries.AddFirst(last);
            return last.Value.Data;
        }
        var data = ArrayPool<byte>.Shared.Rent(_chunkBytes);
        _entries.AddFirst((index, data));
        return data;
    }

    /// <summary>Forgets a chunk whose decode failed half-way.</summary>
    public void Remove(long index)
    {
        for (var node = _entries.First; node is not null; node = node.Next)
        {
            if (node.Value.Index == index)
            {
                _entries.Remove(node);
                ArrayPool<byte>.Shared.Return(node.Value.Data);
                return;
            }
        }
    }

    public void Dispose()
    {
        foreach (var (_, data) in _entries)
        {
            ArrayPool<byte>.Shared.Return(data);
        }
        _entries.Clear();
    }
}
