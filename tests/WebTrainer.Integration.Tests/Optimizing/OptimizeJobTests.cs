using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Optimizing;

/// <summary>
/// An optimise job on real processes: queued through the API on a file with h5py's guessed chunks,
/// progress rows arrive, a cancel mid-way leaves no file; a run process killed (SIGKILL) mid-way
/// resumes on the next attempt from the rows it had written, and so does a deflating job whose
/// Worker is killed; the output holds the input's bytes in the requested layout.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class OptimizeJobTests(PostgresServer server)
{
    private const string Fault = "WEBTRAINER_TEST_FAULT";

    // 16 KB steps of 16x16x3 images in chunks of 16 rows: 16 rows a step, 113 steps for the 1200 + 300 + 300 rows.
    private static readonly Dictionary<string, string?> SmallSteps = new() { ["Worker__OptimizeBlockBytes"] = "16384" };

    [Fact]
    public async Task OptimiseJob_CancelledMidway_EndsCancelledWithNoFile_AndKilledMidway_ResumesWhereItWasAndWritesTheSameBytes()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server);
        await system.StartWebAsync();
        var input = BadChunksFile.Write(Path.Combine(system.DataRoot, "food.h5"), trainCount: 1200);
        var output = Path.Combine(system.DataRoot, "food.optimized.h5");

        // Cancel: every step 200 ms slower, so the test acts while rows are being written.
        var slow = await system.StartWorkerAsync("slow", new Dictionary<string, string?>(SmallSteps) { [Fault] = "slow:1:1:*" });
        var cancelled = await QueueAsync(system, new OptimizeRequest { File = "food.h5" });
        var running = await system.WaitForJobAsync(cancelled, j => j.LastBatch is { Batch: >= 42 }, TimeSpan.FromMinutes(2));
        Assert.Equal(JobKinds.Optimize, running.Summary.Kind);
        Assert.Equal(1800, running.LastBatch!.BatchesPerEpoch);
        var progress = ContractJson.Deserialize<List<Shared.Metrics.BatchProgress>>(
            await system.Http.GetStringAsync($"/api/jobs/{cancelled}/metrics/batches"));
        Assert.True(progress.Count >= 2, "progress rows arrive while it runs");
        using (var cancel = await system.Http.PostAsync($"/api/jobs/{cancelled}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }
        var ended = await system.WaitForJobAsync(cancelled, j => j.Summary.Status is JobStatus.Cancelled or JobStatus.Succeeded or JobStatus.Failed,
            TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.Cancelled, ended.Summary.Status);
        Assert.True(ended.LastBatch!.Batch < 1800, "cancelled mid-way");
        Assert.False(File.Exists(output), "a cancelled job leaves no output");
        Assert.Empty(Leftovers(system));
        await slow.StopAsync(TimeSpan.FromSeconds(20));

        // Kill: the run process dies by SIGKILL when it reaches step 10 of its first attempt.
        var killer = await system.StartWorkerAsync("killer", new Dictionary<string, string?>(SmallSteps) { [Fault] = "kill:1:10:1" });
        var id = await QueueAsync(system, new OptimizeRequest { File = "food.h5", Layout = OptimizeLayouts.Chunked });
        var job = await system.WaitForJobAsync(id, j => j.Summary.Status is JobStatus.Cancelled or JobStatus.Succeeded or JobStatus.Failed,
            TimeSpan.FromMinutes(3));

        Assert.Equal(JobStatus.Succeeded, job.Summary.Status);
        Assert.False(killer.HasExited, "the Worker must outlive its run process");
        Assert.Equal("food.optimized.h5", job.Summary.OutputFile);
        Assert.Equal(OptimizeLayouts.Chunked, job.Optimize!.Layout);
        var events = await system.Http.GetStringAsync($"/api/jobs/{id}/events");
        Assert.Contains("The optimise process died with SIGKILL", events, StringComparison.Ordinal);
        Assert.Contains("Attempt 2 of 3: resuming from the rows written", events, StringComparison.Ordinal);
        Assert.Contains("at optimise step 10 (attempt 1 of 3)", events, StringComparison.Ordinal);
        // Nine steps of 16 rows were flushed and journalled before the death: the second attempt starts there, not at row 0.
        var resumed = ResumedRows().Match(events);
        Assert.True(resumed.Success, events);
        Assert.Equal("144", resumed.Groups[1].Value);
        Assert.Equal(2L, await Db.CountAsync(system.ConnectionString, "SELECT attempts FROM jobs WHERE id = @job", id));
        Assert.Equal(1800, job.LastBatch!.Batch);

        Assert.True(File.Exists(output));
        Assert.Empty(Leftovers(system));
        Hdf5Compare.AssertSameContent(input, output);
        foreach (var name in new[] { "train_img", "valid_img", "test_img" })
        {
            Hdf5Compare.AssertLayout(output, name, OptimizeLayouts.Chunked, null);
        }
    }

    [Fact]
    public async Task DeflatingOptimiseJob_WhoseWorkerIsKilled_ResumesOnTheNextWorkerFromTheRowsWritten()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?>
        {
            ["JobQueue__InvisibilityTimeout"] = "00:00:05",
        });
        await system.StartWebAsync();
        var input = BadChunksFile.Write(Path.Combine(system.DataRoot, "food.h5"), trainCount: 1200);
        var first = await system.StartWorkerAsync("worker-a", new Dictionary<string, string?>(SmallSteps) { [Fault] = "slow:1:1:*" });
        var id = await QueueAsync(system, new OptimizeRequest { File = "food.h5", Layout = OptimizeLayouts.Chunked, DeflateLevel = 1 });
        await system.WaitForJobAsync(id, j => j.LastBatch is { Batch: >= 64 }, TimeSpan.FromMinutes(2));

        await first.KillAsync();
        await system.StartWorkerAsync("worker-b", SmallSteps);
        var job = await system.WaitForJobAsync(id, j => j.Summary.Status is JobStatus.Cancelled or JobStatus.Succeeded or JobStatus.Failed,
            TimeSpan.FromMinutes(3));

        Assert.Equal(JobStatus.Succeeded, job.Summary.Status);
        Assert.Equal("worker-b", job.WorkerName);
        var events = await system.Http.GetStringAsync($"/api/jobs/{id}/events");
        Assert.Contains("Started on worker worker-b", events, StringComparison.Ordinal);
        var resumed = ResumedRows().Match(events);
        Assert.True(resumed.Success, events);
        Assert.True(int.Parse(resumed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 64, resumed.Value);
        Hdf5Compare.AssertSameContent(input, Path.Combine(system.DataRoot, "food.optimized.h5"));
        Hdf5Compare.AssertLayout(Path.Combine(system.DataRoot, "food.optimized.h5"), "train_img", OptimizeLayouts.Chunked, 1);
        Assert.Empty(Leftovers(system));
    }

    /// <summary>The partial output, its journal and chunk log (and their temp files).</summary>
    private static List<string> Leftovers(WebTrainerSystem system) =>
        Directory.GetFiles(system.DataRoot).Where(f => Path.GetFileName(f).StartsWith("food.optimized.h5.", StringComparison.Ordinal)).ToList();

    private static async Task<long> QueueAsync(WebTrainerSystem system, OptimizeRequest request)
    {
        using var response = await system.Http.PostAsJsonAsync("/api/datasets/optimize", request, ContractJson.Options);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return ContractJson.Deserialize<JobCreated>(body).Id;
    }

    [GeneratedRegex(@"Resuming: (\d+) of 1800 rows were written by an earlier attempt")]
    private static partial Regex ResumedRows();
}
