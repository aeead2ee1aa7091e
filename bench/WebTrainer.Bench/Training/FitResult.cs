using System.Text.Json;
using System.Text.Json.Serialization;
using WebTrainer.Shared.Metrics;

namespace WebTrainer.Bench.Training;

/// <summary>
/// One run's figures as <c>fit</c> prints them for <c>compare</c>: training images/s over the training
/// time of all epochs (validation and test excluded), each epoch's, and the test accuracy.
/// </summary>
internal sealed record FitResult(string Side, string Arch, double ImagesPerSecond, double[] EpochImagesPerSecond, double? TestAccuracy,
    double WallSeconds)
{
    public const string Marker = "RESULT ";

    /// <summary>snake_case, as the PyTorch reference script writes the same record.</summary>
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The BLAS library the PyTorch side mapped; null for WebTrainer, whose libtorch brings its own.</summary>
    public string? Blas { get; init; }

    public static FitResult Of(string arch, IReadOnlyList<EpochMetrics> epochs, TestResults? test, TimeSpan wall)
    {
        double images = epochs.Sum(e => e.SamplesPerSecond * e.ElapsedMs / 1000.0);
        double seconds = epochs.Sum(e => e.ElapsedMs / 1000.0);
        return new("webtrainer", arch, images / Math.Max(seconds, 1e-9), [.. epochs.Select(e => e.SamplesPerSecond)], test?.Accuracy,
            wall.TotalSeconds);
    }

    [JsonIgnore]
    public double Spread => SpreadOf(EpochImagesPerSecond);

    /// <summary>Epoch-to-epoch spread: (fastest − slowest) / median epoch, the "within 20 %".</summary>
    public static double SpreadOf(double[] epochs)
    {
        if (epochs.Length < 2)
        {
            return 0;
        }
        var sorted = epochs.Order().ToArray();
        return (sorted[^1] - sorted[0]) / sorted[sorted.Length / 2];
    }
}
