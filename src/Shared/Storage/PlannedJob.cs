using System.Text.Json;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Storage;

/// <summary>One point of a sweep ready to be stored: its spec (already checked), queue, number and values.</summary>
public sealed record PlannedJob(int Index, JobSpec Spec, string Queue, IReadOnlyDictionary<string, JsonElement> Values)
{
    /// <summary>The dataset file the point was validated against; its run checks the file is still that one.</summary>
    public DatasetFileIdentity? DatasetIdentity { get; init; }
}
