using System.Globalization;
using System.Text.Json;
using WebTrainer.Shared.Sweeps;

namespace WebTrainer.Web.Sweeps;

/// <summary>
/// Turns a sweep request into its points: every combination of a grid (first path slowest), or
/// <c>count</c> draws of a random search from a generator seeded with <c>seed</c>, one value per path
/// in the request's order, so the same request always plans the same points. Problems are collected
/// by path; any problem means no plan.
/// </summary>
internal static class SweepPlanner
{
    public const int MaxNameLength = 150;

    public static SweepPlan? Plan(SweepRequest request, int maxPoints, IDictionary<string, List<string>> errors)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxNameLength)
        {
            Add(errors, "name", $"give the sweep a name of 1 to {MaxNameLength} characters; its jobs are named after it");
        }
        if ((request.Grid is null) == (request.Random is null))
        {
            Add(errors, "grid", "give either grid (path → list of values) or random (count, seed, space), not both and not neither");
            return null;
        }
        var plan = request.Grid is { } grid ? PlanGrid(grid, maxPoints, errors) : PlanRandom(request.Random!, maxPoints, errors);
        return errors.Count == 0 ? plan : null;
    }

    private static SweepPlan? PlanGrid(IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> grid, int maxPoints, IDictionary<string, List<string>> errors)
    {
        if (grid.Count == 0)
        {
            Add(errors, "grid", "name at least one path, e.g. \"training.learningRate\": [0.001, 0.0003]");
            return null;
        }
        foreach (var (path, values) in grid)
        {
            var (type, error) = SpecPaths.Resolve(path);
            if (type is null)
            {
                Add(errors, path, error!);
                continue;
            }
            if (values.Count == 0)
            {
                Add(errors, path, $"{path}: give at least one value");
            }
            foreach (var value in values)
            {
                if (SpecPaths.CheckValue(path, type, value) is { } wrong)
                {
                    Add(errors, path, wrong);
                }
            }
        }
        var count = grid.Values.Aggregate(1L, (product, values) => Math.Min(product * Math.Max(values.Count, 1), long.MaxValue / 1024));
        if (count > maxPoints)
        {
            Add(errors, "grid", string.Create(CultureInfo.InvariantCulture,
                $"the grid has {count} points ({string.Join(" × ", grid.Values.Select(v => v.Count))}); a sweep may have at most {maxPoints}"));
        }
        if (errors.Count > 0)
        {
            return null;
        }
        var points = new List<IReadOnlyDictionary<string, JsonElement>> { new Dictionary<string, JsonElement>() };
        foreach (var (path, values) in grid)
        {
            points = points.SelectMany(p => values.Select(v => (IReadOnlyDictionary<string, JsonElement>)new Dictionary<string, JsonElement>(p) { [path] = v })).ToList();
        }
        return new SweepPlan(SweepSummary.Grid, grid.Keys.ToList(), points);
    }

    private static SweepPlan? PlanRandom(RandomSearch search, int maxPoints, IDictionary<string, List<string>> errors)
    {
        if (search.Count < 1 || search.Count > maxPoints)
        {
            Add(errors, "random.count", string.Create(CultureInfo.InvariantCulture, $"random.count is {search.Count}; a sweep has 1 to {maxPoints} points"));
        }
        if (search.Space.Count == 0)
        {
            Add(errors, "random.space", "name at least one path, e.g. \"training.learningRate\": {\"logUniform\": [0.0001, 0.01]}");
        }
        var dimensions = new List<(string Path, SearchDimension Dimension)>();
        foreach (var (path, definition) in search.Space)
        {
            var (type, error) = SpecPaths.Resolve(path);
            if (type is null)
            {
                Add(errors, path, error!);
                continue;
            }
            var (dimension, problem) = SearchDimension.Parse(path, type, definition);
            if (dimension is null)
            {
                Add(errors, path, problem!);
                continue;
            }
            dimensions.Add((path, dimension));
        }
        if (errors.Count > 0)
        {
            return null;
        }
        // System.Random with a seed keeps its sequence across .NET versions (its seeded algorithm is frozen).
        var random = new Random(search.Seed);
        var points = new List<IReadOnlyDictionary<string, JsonElement>>();
        for (var i = 0; i < search.Count; i++)
        {
            points.Add(dimensions.ToDictionary(d => d.Path, d => d.Dimension.Draw(random)));
        }
        return new SweepPlan(SweepSummary.Random, dimensions.Select(d => d.Path).ToList(), points);
    }

    private static void Add(IDictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }
        list.Add(message);
    }
}
