using System.Text.Json;

namespace WebTrainer.Web.Sweeps;

/// <summary>The points of a sweep, each the values to set at <see cref="Paths"/>, in the order their jobs are numbered.</summary>
internal sealed record SweepPlan(string Kind, IReadOnlyList<string> Paths, IReadOnlyList<IReadOnlyDictionary<string, JsonElement>> Points);
