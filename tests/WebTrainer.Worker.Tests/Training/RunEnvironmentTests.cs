using System.Diagnostics;
using System.Globalization;
using WebTrainer.Worker.Jobs.Runs;

namespace WebTrainer.Worker.Tests.Training;

public sealed class RunEnvironmentTests
{
    private const string Loader = "/lib64/ld-linux-x86-64.so.2";

    [Fact]
    public void Apply_SetsThreadsAndPassiveWaiting_AndKeepsWhatTheOperatorSet()
    {
        var environment = new Dictionary<string, string?> { ["OMP_WAIT_POLICY"] = "ACTIVE" };
        RunEnvironment.Apply(environment, 3);
        Assert.Equal("3", environment["OMP_NUM_THREADS"]);
        Assert.Equal("ACTIVE", environment["OMP_WAIT_POLICY"]);
        var fresh = new Dictionary<string, string?>();
        RunEnvironment.Apply(fresh, 2);
        Assert.Equal("PASSIVE", fresh["OMP_WAIT_POLICY"]);
    }

    [Fact]
    public void WithTunables_AddsOnlyWhatTheOperatorDidNotName()
    {
        Assert.Equal("glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864:glibc.malloc.hugetlb=1",
            RunEnvironment.WithTunables(null));
        Assert.Equal("glibc.malloc.top_pad=0:glibc.malloc.check=3:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.hugetlb=1",
            RunEnvironment.WithTunables("glibc.malloc.top_pad=0:glibc.malloc.check=3"));
    }

    /// <summary>
    /// glibc ignores a tunable it does not know without a word, so the names are checked against the
    /// dynamic loader of this machine: <c>ld.so --list-tunables</c> prints the values a process started
    /// with this environment gets.
    /// </summary>
    [Fact]
    public void MallocTunables_AreTheOnesThisMachinesGlibcApplies()
    {
        var environment = new Dictionary<string, string?> { [RunEnvironment.TunablesVariable] = "glibc.malloc.check=1" };
        RunEnvironment.Apply(environment, 2);
        var start = new ProcessStartInfo(Loader, ["--list-tunables"]) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment[RunEnvironment.TunablesVariable] = environment[RunEnvironment.TunablesVariable];
        using var process = Process.Start(start)!;
        var listed = process.StandardOutput.ReadToEnd().Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim().Split(' ')[0], StringComparer.Ordinal);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        foreach (var (name, value) in RunEnvironment.MallocTunables)
        {
            Assert.True(listed.TryGetValue(name, out var applied), $"{Loader} lists no tunable {name}");
            Assert.Equal(long.Parse(value, CultureInfo.InvariantCulture), Convert.ToInt64(applied, 16));
        }
        Assert.Equal("1", listed["glibc.malloc.check"]);
    }
}
