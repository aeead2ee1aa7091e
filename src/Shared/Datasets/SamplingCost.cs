namespace WebTrainer.Shared.Datasets;

/// <summary>
/// What one sampling mode costs on an image dataset's storage: bytes of chunks read and decoded
/// (uncompressed size) per image handed to training, against the image's own bytes.
/// </summary>
public sealed record SamplingCost
{
    /// <summary>One of the sampling modes (<c>random</c>, <c>chunked</c>, <c>sequential</c>).</summary>
    public string Mode { get; init; } = "";
    public long BytesPerImage { get; init; }

    /// <summary><see cref="BytesPerImage"/> over the image's own bytes: 1 reads nothing extra.</summary>
    public double Ratio { get; init; }
}
