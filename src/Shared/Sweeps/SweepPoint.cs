using System.Text.Json;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Sweeps;

/// <summary>One point of a sweep: its job, the values set at the sweep's paths, and its results so far.</summary>
public sealed record SweepPoint(
    int Index,
    long JobId,
    string Name,
    JobStatus Status,
    IReadOnlyDictionary<string, JsonElement> Values,
    int Epoch,
    int TotalEpochs,
    double? BestValidationAccuracy,
    double? BestValidationLoss,
    double? TestAccuracy);
