using System.Buffers;

namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// Decoded chunks of one reader, least recently used out first, as many as fit into the byte
/// budget. Batches sorted by row and chunk-aware sampling touch each chunk in a short burst; small
/// chunks (a few images each) are only worth their decode when the chunks of a whole shuffle window
/// fit, so the count limit is high and lookups are by index, not by scanning.
/// </summary>
internal sealed class ChunkCache : IDisposable
{
    /// <summary>Most chunks kept, whatever their size: bounds the bookkeeping, not the bytes.</summary>
    public const int MaxChunks = 4096;

    private readonly LinkedList<(long Index, byte[] Data)> _entries = new();
    private readonly Dictionary<long, LinkedListNode<(long Index, byte[] Data)>> _byIndex = [];
    private readonly int _capacity;
    private readonly int _chunkBytes;

    public ChunkCache(int chunkBytes, long budgetBytes)
    {
        _chunkBytes = chunkBytes;
        _capacity = CapacityFor(chunkBytes, budgetBytes);
    }

    /// <summary>How many chunks of <paramref name="chunkBytes"/> a cache of <paramref name="budgetBytes"/> keeps.</summary>
    public static int CapacityFor(long chunkBytes, long budgetBytes) => (int)Math.Clamp(budgetBytes / Math.Max(1, chunkBytes), 1, MaxChunks);

    public int Capacity => _capacity;

    public bool TryGet(long index, out byte[] data)
    {
        if (_byIndex.TryGetValue(index, out var node))
        {
            _entries.Remove(node);
            _entries.AddFirst(node);
            data = node.Value.Data;
            return true;
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
            _byIndex.Remove(last.Value.Index);
            last.Value = (index, last.Value.Data);
            _entries.AddFirst(last);
            _byIndex[index] = last;
            return last.Value.Data;
        }
        var data = ArrayPool<byte>.Shared.Rent(_chunkBytes);
        _byIndex[index] = _entries.AddFirst((index, data));
        return data;
    }

    /// <summary>Forgets a chunk whose decode failed half-way.</summary>
    public void Remove(long index)
    {
        if (_byIndex.Remove(index, out var node))
        {
            _entries.Remove(node);
            ArrayPool<byte>.Shared.Return(node.Value.Data);
        }
    }

    public void Dispose()
    {
        foreach (var (_, data) in _entries)
        {
            ArrayPool<byte>.Shared.Return(data);
        }
        _entries.Clear();
        _byIndex.Clear();
    }
}
