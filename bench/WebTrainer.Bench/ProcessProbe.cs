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

    /// <summary>
    /// This process's counters so far, from /proc/self/stat and /proc/self/status: minor page faults,
    /// CPU seconds (user + system), and voluntary / involuntary context switches summed over its threads.
    /// </summary>
    public static ProcessCounters Counters()
    {
        // /proc/self/stat: fields after the ")" that closes the command name; minflt is field 10, utime 14, stime 15.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        double cpuSeconds = (Field(14) + Field(15)) / 100.0; // USER_HZ is 100 on Linux x86-64
        long voluntary = 0, involuntary = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        voluntary += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        involuntary += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended while being read.
            }
        }
        return new(Field(10), cpuSeconds, voluntary, involuntary);
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

/// <summary>A reading of <see cref="ProcessProbe.Counters"/>; subtract two for what happened between them.</summary>
internal readonly record struct ProcessCounters(long MinorFaults, double CpuSeconds, long VoluntarySwitches, long InvoluntarySwitches)
{
    public static ProcessCounters operator -(ProcessCounters a, ProcessCounters b) =>
        new(a.MinorFaults - b.MinorFaults, a.CpuSeconds - b.CpuSeconds, a.VoluntarySwitches - b.VoluntarySwitches,
            a.InvoluntarySwitches - b.InvoluntarySwitches);
}
