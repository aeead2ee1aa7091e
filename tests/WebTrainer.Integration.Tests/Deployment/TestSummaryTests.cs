using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Deployment;

/// <summary>
/// test.sh's closing line over captured runs: a test host that crashed (here: SIGFPE in libtorch, captured
/// on a machine where that happened) counts as a failure, with the signal and the test it was running.
/// </summary>
public sealed class TestSummaryTests
{
    private static readonly string Fixtures = Path.Combine(RepoPaths.Root, "tests/WebTrainer.Integration.Tests/Deployment/Fixtures");

    [Fact]
    public async Task Summary_CountsACrashedTestHostAsAFailure_AndSaysWhichSignalAndTest()
    {
        var (code, lines) = await SummariseAsync(Path.Combine(Fixtures, "aborted"));

        Assert.Equal(1, code);
        Assert.Equal("Tests: 4 passed, 1 failed, 0 skipped", lines[^1]);
        var crash = Assert.Single(lines, l => l.StartsWith("CRASHED:", StringComparison.Ordinal));
        Assert.Contains("WebTrainer.Worker.Tests: the test host died with SIGFPE while running " +
            "WebTrainer.Worker.Tests.Training.ModelTests.Model_BuildsAndRunsForwardAndBackward_OnDatasetShapedInput", crash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_OfRunsThatFinished_SumsTheirCounts()
    {
        var (code, lines) = await SummariseAsync(Path.Combine(Fixtures, "finished"));

        Assert.Equal(0, code);
        Assert.Equal("Tests: 1 passed, 0 failed, 0 skipped", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("CRASHED:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Summary_CountsARunWithoutASummaryAsAFailure()
    {
        using var folder = new TempDirectory("summary");
        File.Copy(Path.Combine(Fixtures, "finished", "WebTrainer.Integration.Tests.log"), Path.Combine(folder.Path, "A.log"));
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "B.log"), "Test run for B.dll (.NETCoreApp,Version=v10.0)\n  Passed B.One [1 s]\n");

        var (code, lines) = await SummariseAsync(folder.Path);

        Assert.Equal(1, code);
        Assert.Equal("Tests: 1 passed, 1 failed, 0 skipped", lines[^1]);
        Assert.Contains(lines, l => l == "CRASHED: B: the test run printed no summary (it did not finish)");
    }

    private static async Task<(int Code, string[] Lines)> SummariseAsync(string folder)
    {
        await using var run = ManagedProcess.Start("summary", "bash", [RepoPaths.Script("test-summary.sh"), folder], new Dictionary<string, string?>());
        int code = await run.WaitForExitAsync(TimeSpan.FromMinutes(1));
        return (code, [.. run.Lines.Where(l => l.Length > 0)]);
    }
}
