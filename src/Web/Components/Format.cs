using System.Globalization;

namespace WebTrainer.Web.Components;

/// <summary>How numbers, sizes and times read on the dashboard: invariant culture, short, "–" for nothing.</summary>
internal static class Format
{
    public const string None = "–";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Percent(double? fraction, int decimals = 1) =>
        fraction is { } f && double.IsFinite(f) ? f.ToString("P" + decimals, Invariant) : None;

    public static string Number(double? value, string format = "0.####") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, Invariant) : None;

    public static string Integer(long value) => value.ToString("N0", Invariant);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.# 'KiB'", Invariant),
        < 1024L * 1024 * 1024 => (bytes / 1024.0 / 1024).ToString("0.# 'MiB'", Invariant),
        _ => (bytes / 1024.0 / 1024 / 1024).ToString("0.## 'GiB'", Invariant),
    };

    /// <summary>UTC, to the second: the team shares one server and one clock.</summary>
    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant) : None;

    public static string Duration(TimeSpan? span) => span switch
    {
        null => None,
        { TotalSeconds: < 60 } s => $"{Math.Max(0, (int)s.TotalSeconds)} s",
        { TotalMinutes: < 60 } s => $"{(int)s.TotalMinutes} min {s.Seconds} s",
        { TotalHours: < 48 } s => $"{(int)s.TotalHours} h {s.Minutes} min",
        { } s => $"{(int)s.TotalDays} d {s.Hours} h",
    };
}
