using System.Globalization;

namespace WebTrainer.Bench;

/// <summary><c>--name value</c> and <c>--flag</c> arguments.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public static BenchArgs Parse(string[] args)
    {
        var parsed = new BenchArgs();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }
            bool hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            parsed._values[args[i][2..]] = hasValue ? args[++i] : null;
        }
        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) && value is not null ? value
        : fallback ?? throw new ArgumentException($"--{name} is required");

    public long Number(string name, long fallback) =>
        _values.TryGetValue(name, out var value) && value is not null ? long.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Real(string name, double fallback) =>
        _values.TryGetValue(name, out var value) && value is not null ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
