using System.Text.Json;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Sweeps;

/// <summary>
/// The body of <c>POST /api/sweeps</c>: a base spec and either a grid (every combination of the
/// listed values) or a random search, over spec paths such as <c>training.learningRate</c> (the
/// contract's JSON property names). One job is queued per point.
/// </summary>
public sealed record SweepRequest
{
    public string Name { get; init; } = "";
    public JobSpec Base { get; init; } = new();

    /// <summary>Path → the values to try; the points are the cartesian product, the first path varying slowest.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<JsonElement>>? Grid { get; init; }

    public RandomSearch? Random { get; init; }
}
