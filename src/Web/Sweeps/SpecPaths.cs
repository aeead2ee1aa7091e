using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;

namespace WebTrainer.Web.Sweeps;

/// <summary>
/// Dotted paths into a job spec (<c>training.learningRate</c>), resolved against the contract's own
/// JSON metadata, so that every field of the spec can be swept and a new field needs no change here.
/// </summary>
internal static class SpecPaths
{
    /// <summary>The type a path leads to, or the reason it leads nowhere (naming what is there instead).</summary>
    public static (Type? Type, string? Error) Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return (null, "a path must name a field of the spec, e.g. training.learningRate");
        }
        if (path == "name")
        {
            return (null, "the name of each job is made from the sweep's name and its point; it cannot be swept");
        }
        var info = ContractJson.Options.GetTypeInfo(typeof(JobSpec));
        var segments = path.Split('.');
        var at = "the spec";
        for (var i = 0; i < segments.Length; i++)
        {
            if (info.Kind != JsonTypeInfoKind.Object)
            {
                return (null, $"unknown path '{path}': {at} is a value, not an object with fields");
            }
            var property = info.Properties.FirstOrDefault(p => p.Name == segments[i]);
            if (property is null)
            {
                return (null, $"unknown path '{path}': {at} has no field '{segments[i]}'; its fields are {string.Join(", ", info.Properties.Select(p => p.Name))}");
            }
            if (i == segments.Length - 1)
            {
                return (property.PropertyType, null);
            }
            info = ContractJson.Options.GetTypeInfo(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
            at = string.Join('.', segments[..(i + 1)]);
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Null when <paramref name="value"/> fits a field of <paramref name="type"/>; otherwise why not.</summary>
    public static string? CheckValue(string path, Type type, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return $"{path}: null cannot be swept; give {Describe(type)}";
        }
        try
        {
            JsonSerializer.Deserialize(value, type, ContractJson.Options);
            return null;
        }
        catch (JsonException)
        {
            return $"{path}: {value.GetRawText()} is not {Describe(type)}";
        }
    }

    /// <summary>The base spec with each path set to its value; intermediate objects that are absent (null) are created.</summary>
    public static JobSpec With(JobSpec spec, IReadOnlyDictionary<string, JsonElement> values)
    {
        var root = JsonSerializer.SerializeToNode(spec, ContractJson.Options)!.AsObject();
        foreach (var (path, value) in values)
        {
            var segments = path.Split('.');
            var node = root;
            foreach (var segment in segments[..^1])
            {
                if (node[segment] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[segment] = child;
                }
                node = child;
            }
            node[segments[^1]] = JsonNode.Parse(value.GetRawText());
        }
        return root.Deserialize<JobSpec>(ContractJson.Options) ?? throw new JsonException("the spec became null");
    }

    /// <summary>How a point's value reads in a job name: strings bare, everything else as JSON.</summary>
    public static string Show(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();

    /// <summary>The short name of a path in job names: its last segment, unless another path ends the same way.</summary>
    public static string Label(string path, IReadOnlyCollection<string> paths)
    {
        var last = path[(path.LastIndexOf('.') + 1)..];
        return paths.Count(p => p == last || p.EndsWith("." + last, StringComparison.Ordinal)) > 1 ? path : last;
    }

    private static string Describe(Type type)
    {
        var bare = Nullable.GetUnderlyingType(type) ?? type;
        return Type.GetTypeCode(bare) switch
        {
            TypeCode.Int32 or TypeCode.Int64 => "an integer",
            TypeCode.Double or TypeCode.Single => "a number",
            TypeCode.Boolean => "true or false",
            TypeCode.String => "a string",
            _ => string.Create(CultureInfo.InvariantCulture, $"a {ContractJson.Options.GetTypeInfo(bare).Kind.ToString().ToLowerInvariant()} of the spec's shape ({bare.Name})"),
        };
    }
}
