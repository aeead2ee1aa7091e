using System.Globalization;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Whether the kernel knows this machine's CPU cache sizes. Linux fills
/// <c>/sys/devices/system/cpu/cpu0/cache/index*/size</c> from the same CPUID leaves (4 on Intel,
/// 0x8000001D on AMD) that oneDNN reads its cache sizes from, so a VM whose hypervisor zeroes those
/// leaves shows no sizes there either — the machines on which oneDNN divides by zero.
/// </summary>
internal static class CpuCaches
{
    /// <summary>The folder, under a sysfs root such as <c>/sys</c>, that lists cpu0's caches.</summary>
    public static string Folder(string sysfsRoot) => Path.Combine(sysfsRoot, "devices", "system", "cpu", "cpu0", "cache");

    /// <summary>True when at least one cache of cpu0 has a size above zero.</summary>
    public static bool AreReported(string sysfsRoot)
    {
        var folder = Folder(sysfsRoot);
        return Directory.Exists(folder)
            && Directory.EnumerateDirectories(folder, "index*").Any(index => SizeBytes(Path.Combine(index, "size")) > 0);
    }

    /// <summary>A size as the kernel writes it ("48K", "1024K", "32M"); 0 when absent or unreadable.</summary>
    internal static long SizeBytes(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        long factor = text.EndsWith('K') ? 1L << 10 : text.EndsWith('M') ? 1L << 20 : text.EndsWith('G') ? 1L << 30 : 1;
        var digits = factor == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value * factor : 0;
    }
}
