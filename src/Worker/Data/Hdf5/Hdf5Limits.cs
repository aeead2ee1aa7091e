namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// What an HDF5 file from a user may declare before the readers refuse it, checked before anything
/// sized by the declaration is allocated. The defaults accept the files this server is for (Food-101
/// [70700,299,299,3] uint8, 19 GB, with h5py's guessed chunks (2210,10,19,1): ~1.1M chunks; one-hot
/// labels [70700,101]) with room to spare, and refuse a few-KB file that declares terabytes.
/// Bound from <c>Hdf5:Limits</c>; <see cref="Current"/> is what callers that pass none get.
/// </summary>
public sealed class Hdf5Limits
{
    public const string SectionName = "Hdf5:Limits";

    /// <summary>Groups nested deeper than this are not walked.</summary>
    public int MaxGroupDepth { get; set; } = 32;

    /// <summary>Groups, datasets and other objects one inspection visits at most.</summary>
    public int MaxObjectsPerFile { get; set; } = 100_000;

    /// <summary>Chunks one dataset may declare (its chunk grid), Food-101's guessed chunks being ~1.1M.</summary>
    public long MaxDeclaredChunks { get; set; } = 16L << 20;

    /// <summary>Bytes of one decoded chunk: each reader holds a few such buffers.</summary>
    public long MaxChunkBytes { get; set; } = 512L << 20;

    /// <summary>Bytes a dataset may declare in all (shape times element size).</summary>
    public long MaxDatasetBytes { get; set; } = 4L << 40;

    /// <summary>Height or width of one image in a dataset.</summary>
    public int MaxImageSide { get; set; } = 16_384;

    /// <summary>Pixels (height times width) of one image in a dataset.</summary>
    public long MaxImagePixels { get; set; } = 64L << 20;

    /// <summary>Rows of a label dataset.</summary>
    public long MaxLabelCount { get; set; } = 100_000_000;

    /// <summary>Values of a label dataset (rows times classes); labels are read whole for training.</summary>
    public long MaxLabelValues { get; set; } = 200_000_000;

    /// <summary>Classes a label dataset may have (one-hot columns, or the largest integer label plus one).</summary>
    public int MaxClassCount { get; set; } = 1_000_000;

    /// <summary>Bytes an attribute the readers interpret (class_names) may declare.</summary>
    public long MaxAttributeBytes { get; set; } = 16L << 20;

    /// <summary>The limits readers use when called without any: code defaults until a host sets its configured ones.</summary>
    public static Hdf5Limits Current { get; private set; } = new();

    /// <summary>Makes <paramref name="limits"/> the process-wide limits; hosts call it once at start, after validation.</summary>
    public static void Use(Hdf5Limits limits)
    {
        if (limits.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(limits));
        }
        Current = limits;
    }

    /// <summary>The first setting out of range, worded for the configuration key, or null.</summary>
    public string? Problem()
    {
        if (MaxGroupDepth < 1)
        {
            return $"{SectionName}:MaxGroupDepth must be at least 1 (is {MaxGroupDepth})";
        }
        (string Name, long Value)[] positive =
        [
            (nameof(MaxObjectsPerFile), MaxObjectsPerFile), (nameof(MaxDeclaredChunks), MaxDeclaredChunks),
            (nameof(MaxChunkBytes), MaxChunkBytes), (nameof(MaxDatasetBytes), MaxDatasetBytes),
            (nameof(MaxImageSide), MaxImageSide), (nameof(MaxImagePixels), MaxImagePixels),
            (nameof(MaxLabelCount), MaxLabelCount), (nameof(MaxLabelValues), MaxLabelValues),
            (nameof(MaxAttributeBytes), MaxAttributeBytes), (nameof(MaxClassCount), MaxClassCount),
        ];
        foreach (var (name, value) in positive)
        {
            if (value < 1)
            {
                return $"{SectionName}:{name} must be at least 1 (is {value})";
            }
        }
        // Chunk buffers and label arrays are .NET arrays: one cannot exceed Array.MaxLength elements.
        if (MaxChunkBytes > Array.MaxLength)
        {
            return $"{SectionName}:MaxChunkBytes must be at most {Array.MaxLength} (is {MaxChunkBytes})";
        }
        return MaxLabelValues > Array.MaxLength ? $"{SectionName}:MaxLabelValues must be at most {Array.MaxLength} (is {MaxLabelValues})" : null;
    }
}
