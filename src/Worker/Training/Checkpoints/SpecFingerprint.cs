using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;

namespace WebTrainer.Worker.Training.Checkpoints;

/// <summary>
/// A hash of everything that decides a run's numbers: the spec (its name aside) and the shape of
/// the data it opened. Properties equal to their defaults are left out, so a field added to the
/// contracts later (additive, with a default) does not orphan the checkpoints of running jobs.
/// </summary>
internal static class SpecFingerprint
{
    public static string Of(JobSpec spec, string dataShape)
    {
        var canonical = new StringBuilder();
        Append(canonical, "", spec with { Name = "" }, new JobSpec());
        canonical.Append("data=").Append(dataShape);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..16];
    }

    private static void Append(StringBuilder canonical, string path, object value, object defaults)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }
            var current = property.GetValue(value);
            var standard = property.GetValue(defaults);
            var json = JsonSerializer.Serialize(current, property.PropertyType, ContractJson.Options);
            if (json == JsonSerializer.Serialize(standard, property.PropertyType, ContractJson.Options))
            {
                continue;
            }
            var name = path + property.Name;
            if (current is not null and not string and not IEnumerable && !property.PropertyType.IsValueType &&
                property.PropertyType.GetConstructor(Type.EmptyTypes) is { } constructor)
            {
                // A nested contract (set where the default is null, or changed): its presence counts, then
                // each of its fields is compared with the contract's own defaults.
                canonical.Append(name).Append("{};");
                Append(canonical, name + ".", current, standard ?? constructor.Invoke(null));
                continue;
            }
            canonical.Append(name).Append('=').Append(json).Append(';');
        }
    }

    /// <summary>The data side of the fingerprint: split sizes, image geometry, class count.</summary>
    public static string DataShape(int train, int validation, int test, int channels, int height, int width, int classes) =>
        string.Create(CultureInfo.InvariantCulture, $"{train}/{validation}/{test} {channels}x{height}x{width} k{classes}");
}
