using System.Text.Json;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Storage;

/// <summary>One point of a sweep ready to be stored: its spec (already checked), queue, number and values.</summary>
public sealed record PlannedJob(int Index, JobSpec Spec, string Queue, IReadOnlyDictionary<string, JsonElement> Values);
