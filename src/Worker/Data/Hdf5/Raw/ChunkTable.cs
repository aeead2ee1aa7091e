namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>
/// Where every chunk of a chunked dataset lies: file offset (base address applied), stored size and
/// filter mask, by linear chunk index (row-major over the chunk grid). Built once when a dataset is
/// opened, so a read never walks the index again. Entries live in pages of <see cref="PageEntries"/>
/// allocated as the index sets them, so memory follows what the file's index actually holds (~24 bytes
/// per stored chunk, 8 bytes per page of the declared grid), not the chunk count a header declares.
/// An implicit index (chunks back to back from one address) is computed, never stored.
/// </summary>
internal sealed class ChunkTable
{
    public const long Missing = -1;
    public const int PageEntries = 1024;

    private readonly Entry[]?[] _pages;
    private readonly long _implicitStart = Missing;
    private readonly long _implicitChunkBytes;

    /// <summary>Callers check <see cref="DeclaredChunks"/> against their limit first: the page directory follows the declared grid.</summary>
    public ChunkTable(ulong[] shape, ulong[] chunkDims)
    {
        Shape = shape;
        ChunkDims = chunkDims;
        Grid = new long[shape.Length];
        for (int d = 0; d < shape.Length; d++)
        {
            Grid[d] = (long)((shape[d] + chunkDims[d] - 1) / chunkDims[d]);
        }
        Count = DeclaredChunks(shape, chunkDims);
        if (Count > (long)Array.MaxLength * PageEntries)
        {
            throw new InvalidDataException($"declares {Count} chunks, more than can be indexed");
        }
        _pages = new Entry[]?[(Count + PageEntries - 1) / PageEntries];
    }

    private ChunkTable(ulong[] shape, ulong[] chunkDims, long implicitStart, long chunkBytes) : this(shape, chunkDims)
    {
        _implicitStart = implicitStart;
        _implicitChunkBytes = chunkBytes;
    }

    /// <summary>An implicit index: chunk i lies at <paramref name="start"/> + i × <paramref name="chunkBytes"/>.</summary>
    public static ChunkTable Implicit(ulong[] shape, ulong[] chunkDims, long start, long chunkBytes) => new(shape, chunkDims, start, chunkBytes);

    public ulong[] Shape { get; }
    public ulong[] ChunkDims { get; }

    /// <summary>Chunks per axis.</summary>
    public long[] Grid { get; }

    /// <summary>Chunks of the grid, stored or not.</summary>
    public long Count { get; }

    /// <summary>Chunks of a grid, saturating at <see cref="long.MaxValue"/> rather than overflowing on a forged shape.</summary>
    public static long DeclaredChunks(IReadOnlyList<ulong> shape, IReadOnlyList<ulong> chunkDims)
    {
        UInt128 count = 1;
        for (int d = 0; d < shape.Count; d++)
        {
            if (chunkDims[d] == 0)
            {
                return long.MaxValue;
            }
            count *= (shape[d] + chunkDims[d] - 1) / chunkDims[d];
            if (count > long.MaxValue)
            {
                return long.MaxValue;
            }
        }
        return (long)count;
    }

    public long Offset(long linear)
    {
        if (_implicitStart != Missing)
        {
            return _implicitStart + linear * _implicitChunkBytes;
        }
        var page = _pages[linear / PageEntries];
        return page is null ? Missing : page[linear % PageEntries].Offset;
    }

    public long StoredSize(long linear) =>
        _implicitStart != Missing ? _implicitChunkBytes : _pages[linear / PageEntries]?[linear % PageEntries].StoredSize ?? 0;

    public uint FilterMask(long linear) => _implicitStart != Missing ? 0 : _pages[linear / PageEntries]?[linear % PageEntries].FilterMask ?? 0;

    public void Set(long linear, long offset, long storedSize, uint filterMask)
    {
        if ((ulong)linear >= (ulong)Count)
        {
            throw new InvalidDataException($"the chunk index names chunk {linear} of a grid of {Count}");
        }
        ref var page = ref _pages[linear / PageEntries];
        if (page is null)
        {
            page = new Entry[PageEntries];
            Array.Fill(page, new Entry(Missing, 0, 0));
        }
        page[linear % PageEntries] = new Entry(offset, storedSize, filterMask);
    }

    /// <summary>Every stored chunk, in linear order: (linear index, offset, stored size).</summary>
    public IEnumerable<(long Linear, long Offset, long StoredSize)> Stored()
    {
        if (_implicitStart != Missing)
        {
            if (Count > 0)
            {
                // Back to back: the last chunk ends where all of them end.
                yield return (Count - 1, Offset(Count - 1), _implicitChunkBytes);
            }
            yield break;
        }
        for (long p = 0; p < _pages.Length; p++)
        {
            if (_pages[p] is not { } page)
            {
                continue;
            }
            for (int i = 0; i < page.Length; i++)
            {
                if (page[i].Offset != Missing)
                {
                    yield return (p * PageEntries + i, page[i].Offset, page[i].StoredSize);
                }
            }
        }
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

    private readonly record struct Entry(long Offset, long StoredSize, uint FilterMask);
}
