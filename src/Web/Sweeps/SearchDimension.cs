using System.Globalization;
using System.Text.Json;
using WebTrainer.Shared.Json;

namespace WebTrainer.Web.Sweeps;

/// <summary>
/// One path of a random search: a list to choose from, or <c>uniform</c>, <c>logUniform</c> or
/// <c>intUniform</c> over <c>[low, high]</c>. Real draws are rounded to 4 significant digits, so a
/// job's name shows exactly the value its spec holds.
/// </summary>
internal abstract class SearchDimension
{
    public const string Uniform = "uniform";
    public const string LogUniform = "logUniform";
    public const string IntUniform = "intUniform";

    public abstract JsonElement Draw(Random random);

    public static (SearchDimension? Dimension, string? Error) Parse(string path, Type type, JsonElement definition)
    {
        if (definition.ValueKind == JsonValueKind.Array)
        {
            var values = definition.EnumerateArray().Select(v => v.Clone()).ToList();
            if (values.Count == 0)
            {
                return (null, $"{path}: give at least one value to choose from");
            }
            var wrong = values.Select(v => SpecPaths.CheckValue(path, type, v)).FirstOrDefault(e => e is not null);
            return wrong is null ? (new Choice(values), null) : (null, wrong);
        }
        var form = $"{path}: give a list of values, or one of {{\"{Uniform}\": [low, high]}}, {{\"{LogUniform}\": [low, high]}}, {{\"{IntUniform}\": [low, high]}}";
        if (definition.ValueKind != JsonValueKind.Object || definition.EnumerateObject().Count() != 1)
        {
            return (null, form);
        }
        var property = definition.EnumerateObject().Single();
        if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() != 2
            || property.Value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
        {
            return (null, $"{path}: {property.Name} takes [low, high], two numbers");
        }
        var low = property.Value[0].GetDouble();
        var high = property.Value[1].GetDouble();
        if (!(low < high))
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"{path}: {property.Name} needs low < high, not [{low}, {high}]"));
        }
        SearchDimension dimension;
        switch (property.Name)
        {
            case Uniform:
                dimension = new Real(low, high, log: false);
                break;
            case LogUniform when low <= 0:
                return (null, string.Create(CultureInfo.InvariantCulture, $"{path}: {LogUniform} needs low > 0, not {low}"));
            case LogUniform:
                dimension = new Real(low, high, log: true);
                break;
            case IntUniform when low != Math.Floor(low) || high != Math.Floor(high):
                return (null, string.Create(CultureInfo.InvariantCulture, $"{path}: {IntUniform} takes two integers, not [{low}, {high}]"));
            case IntUniform:
                dimension = new Integer((long)low, (long)high);
                break;
            default:
                return (null, form);
        }
        // A draw must fit the field: a uniform real into an integer field is the common mistake.
        var sample = dimension.Draw(new Random(0));
        if (SpecPaths.CheckValue(path, type, sample) is { } mismatch)
        {
            return (null, $"{mismatch} ({property.Name} draws {(dimension is Integer ? "integers" : "real numbers")}; use {(dimension is Integer ? Uniform : IntUniform)} or a list)");
        }
        return (dimension, null);
    }

    private sealed class Choice(IReadOnlyList<JsonElement> values) : SearchDimension
    {
        public override JsonElement Draw(Random random) => values[random.Next(values.Count)];
    }

    private sealed class Real(double low, double high, bool log) : SearchDimension
    {
        public override JsonElement Draw(Random random)
        {
            var u = random.NextDouble();
            var value = log ? Math.Exp(Math.Log(low) + (u * (Math.Log(high) - Math.Log(low)))) : low + (u * (high - low));
            var rounded = double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            return JsonSerializer.SerializeToElement(rounded, ContractJson.Options);
        }
    }

    private sealed class Integer(long low, long high) : SearchDimension
    {
        public override JsonElement Draw(Random random) => JsonSerializer.SerializeToElement(random.NextInt64(low, high + 1), ContractJson.Options);
    }
}
