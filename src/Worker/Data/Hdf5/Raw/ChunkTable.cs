namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// Where every chunk of a chunked dataset lies: file offset (base address applied), stored size and
/// filter mask, by linear chunk index (row-major over the chunk grid). Built once when a dataset is
/// opened, so a read never walks the index again; ~20 bytes per chunk.
/// </summary>
internal sealed class ChunkTable
{
    public const long Missing = -1;

    public ChunkTable(ulong[] shape, ulong[] chunkDims)
    {
        Shape = shape;
        ChunkDims = chunkDims;
        Grid = new long[shape.Length];
        long count = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            Grid[d] = (long)((shape[d] + chunkDims[d] - 1) / chunkDims[d]);
            count *= Grid[d];
        }
        Offsets = new long[count];
        StoredSizes = new long[count];
        FilterMasks = new uint[count];
        Array.Fill(Offsets, Missing);
    }

    public ulong[] Shape { get; }
    public ulong[] ChunkDims { get; }

    /// <summary>Chunks per axis.</summary>
    public long[] Grid { get; }

    public long[] Offsets { get; }
    public long[] StoredSizes { get; }
    public uint[] FilterMasks { get; }
    public int Count => Offsets.Length;

    public void Set(long linear, long offset, long storedSize, uint filterMask)
    {
        Offsets[linear] = offset;
        StoredSizes[linear] = storedSize;
        FilterMasks[linear] = filterMask;
    }

    /// <summary>The linear index of the chunk whose first element has these coordinates.</summary>
    public long LinearIndexOfElement(ReadOnlySpan<ulong> elementCoordinates)
    {
        long linear = 0;
        for (int d = 0; d < Grid.Length; d++)
        {
            linear = linear * Grid[d] + (long)(elementCoordinates[d] / ChunkDims[d]);
        }
        return linear;
    }
}
