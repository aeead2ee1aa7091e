using System.Text.Json;

namespace WebTrainer.Shared.Sweeps;

/// <summary>
/// <see cref="Count"/> points drawn with <see cref="Seed"/> (the same seed draws the same points).
/// Each path of <see cref="Space"/> is a list to choose from (<c>["adam", "sgd"]</c>) or one
/// distribution: <c>{"uniform": [low, high]}</c>, <c>{"logUniform": [low, high]}</c> (low &gt; 0),
/// <c>{"intUniform": [low, high]}</c> (both ends included). Real values are rounded to 4 significant digits.
/// </summary>
public sealed record RandomSearch
{
    public int Count { get; init; }
    public int Seed { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Space { get; init; } = new Dictionary<string, JsonElement>();
}
