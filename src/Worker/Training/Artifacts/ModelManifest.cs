using WebTrainer.Worker.Training.Models;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Training.Artifacts;

/// <summary>
/// <c>model.json</c> beside <c>model.weights</c>: what the network is and what it expects.
/// The model takes images shaped like the dataset's (<see cref="ModelInput.DataChannels"/> etc.)
/// after <see cref="Normalization"/>; inside, it converts channels and resizes to the network's
/// own input (<see cref="ModelInput.Channels"/>, <see cref="ModelInput.Height"/>, <see cref="ModelInput.Width"/>).
/// </summary>
internal sealed record ModelManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string Architecture { get; init; }
    public required IReadOnlyList<string> Classes { get; init; }
    public required ModelInput Input { get; init; }
    public required InputNormalization Normalization { get; init; }

    /// <summary>The dataset file as the job spec named it (relative to a data root).</summary>
    public required string DatasetFile { get; init; }

    public string WeightsFile { get; init; } = RunDirectory.ModelWeightsFileName;
    public required string SpecFingerprint { get; init; }
    public int EpochsTrained { get; init; }

    /// <summary>The epoch whose weights these are when restore-best applied; null when they are the last epoch's.</summary>
    public int? RestoredBestEpoch { get; init; }

    public double? TestAccuracy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
