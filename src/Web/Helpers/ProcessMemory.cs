using System.Globalization;

namespace WebTrainer.Web.Helpers;

/// <summary>A process's resident memory from <c>/proc/PID/status</c>: what native allocations add, which no heap limit sees.</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS in bytes, or null when the process is gone (or this is not Linux).</summary>
    public static long? ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
