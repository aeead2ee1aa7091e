using System.Text.Json;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;

namespace WebTrainer.Web.Jobs;

/// <summary>
/// A spec as flat <c>path → value</c> rows (<c>training.learningRate → 0.001</c>), the shape in
/// which runs are compared side by side. Built from the contract JSON, so a field added to the spec
/// shows up without changes here.
/// </summary>
internal static class SpecTable
{
    public static IReadOnlyDictionary<string, string> Flatten(JobSpec spec)
    {
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using var json = JsonDocument.Parse(ContractJson.Serialize(spec));
        Walk(json.RootElement, "", rows);
        return rows;
    }

    /// <summary>The paths whose values are not the same in every spec (a path missing from one counts as differing).</summary>
    public static IReadOnlySet<string> Differing(IReadOnlyList<IReadOnlyDictionary<string, string>> specs)
    {
        var paths = specs.SelectMany(s => s.Keys).ToHashSet(StringComparer.Ordinal);
        return paths.Where(p => specs.Select(s => s.GetValueOrDefault(p)).Distinct().Count() > 1).ToHashSet(StringComparer.Ordinal);
    }

    private static void Walk(JsonElement element, string path, IDictionary<string, string> rows)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", rows);
                }
                break;
            case JsonValueKind.Array:
                rows[path] = string.Join(", ", element.EnumerateArray().Select(e => e.GetRawText()));
                break;
            case JsonValueKind.String:
                rows[path] = element.GetString() ?? "";
                break;
            default:
                // Numbers and booleans as JSON writes them (0.001, false), as a REST client sees the spec.
                rows[path] = element.GetRawText();
                break;
        }
    }
}
