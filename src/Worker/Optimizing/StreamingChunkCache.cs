using PureHDF.VOL.Native;

namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// PureHDF's own writing cache keeps every chunk until the file is closed: a whole dataset in memory.
/// The optimiser writes rows in order and one image per chunk, so a chunk is complete once a later
/// one is asked for; this cache then hands the earlier ones to PureHDF to filter and store, and holds
/// only the chunk being written. Each chunk is stored through the writer given with it (PureHDF's
/// writer closes over the index it was asked for).
/// </summary>
internal sealed class StreamingChunkCache : IWritingChunkCache
{
    private readonly SortedDictionary<ulong, (Memory<byte> Chunk, Action<ulong, Memory<byte>> Writer)> _chunks = [];

    public Memory<byte> GetChunk(ulong chunkIndex, Func<Memory<byte>> chunkAllocator, Action<ulong, Memory<byte>> chunkWriter)
    {
        if (_chunks.TryGetValue(chunkIndex, out var held))
        {
            return held.Chunk;
        }
        while (_chunks.Count > 0 && _chunks.First() is var (index, done) && index < chunkIndex)
        {
            _chunks.Remove(index);
            done.Writer(index, done.Chunk);
        }
        var chunk = chunkAllocator();
        _chunks[chunkIndex] = (chunk, chunkWriter);
        return chunk;
    }

    public void Flush(Action<ulong, Memory<byte>> chunkWriter)
    {
        foreach (var (index, held) in _chunks)
        {
            chunkWriter(index, held.Chunk);
        }
        _chunks.Clear();
    }
}
