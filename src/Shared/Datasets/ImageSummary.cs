namespace WebTrainer.Shared.Datasets;

/// <summary>How an image dataset reads as training input.</summary>
public sealed record ImageSummary
{
    /// <summary><c>NHWC</c>, <c>NCHW</c> or <c>NHW</c> (grey).</summary>
    public string Layout { get; init; } = "";
    public long Count { get; init; }
    public int Channels { get; init; }
    public int Height { get; init; }
    public int Width { get; init; }

    /// <summary><c>uint8</c>, <c>float16</c> or <c>float32</c>.</summary>
    public string PixelType { get; init; } = "";

    /// <summary>Bytes of one image as stored (uncompressed).</summary>
    public long ImageBytes { get; init; }

    /// <summary>Read cost of each sampling mode on this dataset's storage, shuffling modes first.</summary>
    public IReadOnlyList<SamplingCost> ReadCosts { get; init; } = [];

    /// <summary>The shuffling mode <c>sampling: "auto"</c> picks for this dataset (<c>random</c> or <c>chunked</c>).</summary>
    public string AutoSampling { get; init; } = "";

    /// <summary>Set when even the best shuffling mode reads more than 4× the image bytes: what is wrong and the fix.</summary>
    public string? ReadWarning { get; init; }
}
