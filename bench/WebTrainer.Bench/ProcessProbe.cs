using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Bench;

/// <summary>What the OS knows: this process's peak resident memory, the CPU model, and dropping a file from the page cache.</summary>
internal static partial class ProcessProbe
{
    private const int PosixFadviseDontNeed = 4;

    /// <summary>VmHWM from /proc/self/status: the peak resident set of this process, in MB.</summary>
    public static double PeakRssMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }

    /// <summary>The CPU as lscpu names it, from /proc/cpuinfo: "AMD EPYC, family 26, model 2".</summary>
    public static string CpuModel()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }
        return $"{fields.GetValueOrDefault("model name", "unknown CPU")}, family {fields.GetValueOrDefault("cpu family", "?")}, " +
            $"model {fields.GetValueOrDefault("model", "?")}";
    }

    /// <summary>
    /// Asks the kernel to drop the file's clean pages from the page cache (posix_fadvise DONTNEED),
    /// so the next read comes from the disk — as far as this VM's host lets it.
    /// </summary>
    public static bool DropFromPageCache(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return Fadvise(handle, 0, 0, PosixFadviseDontNeed) == 0;
    }

    private static int Fadvise(SafeFileHandle handle, long offset, long length, int advice) =>
        PosixFadvise((int)handle.DangerousGetHandle(), offset, length, advice);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);
}
