namespace WebTrainer.Worker.Data.Hdf5.Raw;

/// <summary>How the chunk addresses of a chunked dataset are indexed in the file.</summary>
internal enum ChunkIndexKind
{
    None,
    BTree1,
    SingleChunk,
    Implicit,
    FixedArray,
    ExtensibleArray,
    BTree2,
}

/// <summary>One filter of a dataset's pipeline, in the order the writer applied them.</summary>
internal sealed record FilterStep(ushort Id, string Name, uint[] ClientData);

/// <summary>
/// Where and how a dataset's raw data lies in the file, as the data layout and filter pipeline
/// messages say. Addresses are relative to the superblock's base address.
/// </summary>
internal sealed record StorageLayout
{
    public required string Class { get; init; }
    public int LayoutVersion { get; init; }
    public ulong Address { get; init; } = ulong.MaxValue;

    /// <summary>Chunk extent per dataset axis, in elements (chunked only).</summary>
    public ulong[]? ChunkDims { get; init; }
    public ChunkIndexKind Index { get; init; }
    public IReadOnlyList<FilterStep> Filters { get; init; } = [];

    /// <summary>Layout v4 flags: bit 0 set means partial edge chunks are stored unfiltered.</summary>
    public int ChunkFlags { get; init; }

    /// <summary>Single-chunk index of a filtered dataset: the stored size and filter mask of the one chunk.</summary>
    public ulong SingleChunkStoredSize { get; init; }
    public uint SingleChunkFilterMask { get; init; }

    public const string Contiguous = "contiguous";
    public const string Chunked = "chunked";
    public const string Compact = "compact";
    public const string Virtual = "virtual";
}
