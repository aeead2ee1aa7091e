using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Sweeps;

namespace WebTrainer.Web.Sweeps;

/// <summary>
/// The dashboard's sweep form: a base spec as JSON, and rows of path + values. A row's values are
/// comma-separated (each read as JSON when it is JSON, <c>0.001</c> or <c>true</c>, else as a
/// string, <c>adam</c>); in a random search a row may instead be <c>logUniform(1e-4, 1e-2)</c>,
/// <c>uniform(a, b)</c> or <c>intUniform(a, b)</c>.
/// </summary>
internal sealed partial class SweepForm
{
    public sealed class Row
    {
        public string Path { get; set; } = "";
        public string Values { get; set; } = "";
    }

    public string Name { get; set; } = "";
    public string BaseJson { get; set; } = "";
    public bool Random { get; set; }
    public int Count { get; set; } = 6;
    public int Seed { get; set; } = 1;
    public List<Row> Rows { get; } = [new() { Path = "training.learningRate", Values = "0.001, 0.0003" }];

    public static string Indented(JobSpec spec) =>
        JsonSerializer.Serialize(spec, new JsonSerializerOptions(ContractJson.Options) { WriteIndented = true });

    /// <summary>The request the form describes, or what keeps it from being one (the base JSON, a row).</summary>
    public (SweepRequest? Request, string? Error) ToRequest()
    {
        JobSpec spec;
        try
        {
            spec = ContractJson.Deserialize<JobSpec>(BaseJson);
        }
        catch (JsonException ex)
        {
            return (null, $"The base spec is not a job spec: {ex.Message}");
        }
        var rows = Rows.Where(r => !string.IsNullOrWhiteSpace(r.Path)).ToList();
        if (rows.Count == 0)
        {
            return (null, "Add at least one parameter row: a spec path such as training.learningRate and its values.");
        }
        if (rows.Select(r => r.Path.Trim()).Distinct(StringComparer.Ordinal).Count() != rows.Count)
        {
            return (null, "Each path may appear in one row only.");
        }
        var request = new SweepRequest { Name = Name.Trim(), Base = spec };
        if (!Random)
        {
            return (request with { Grid = rows.ToDictionary(r => r.Path.Trim(), r => (IReadOnlyList<JsonElement>)Values(r.Values)) }, null);
        }
        var space = rows.ToDictionary(r => r.Path.Trim(), r => Distribution(r.Values) ?? JsonSerializer.SerializeToElement(Values(r.Values)));
        return (request with { Random = new RandomSearch { Count = Count, Seed = Seed, Space = space } }, null);
    }

    private static List<JsonElement> Values(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Value).ToList();

    private static JsonElement Value(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }

    private static JsonElement? Distribution(string text)
    {
        var match = DistributionPattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }
        var bounds = new[] { match.Groups[2].Value, match.Groups[3].Value }
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN).ToArray();
        return JsonSerializer.SerializeToElement(new Dictionary<string, double[]> { [match.Groups[1].Value] = bounds },
            new JsonSerializerOptions(ContractJson.Options));
    }

    [GeneratedRegex(@"^(uniform|logUniform|intUniform)\(\s*([^,\s]+)\s*,\s*([^)\s]+)\s*\)$")]
    private static partial Regex DistributionPattern();
}
