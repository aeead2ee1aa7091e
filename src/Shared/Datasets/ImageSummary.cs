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
}
