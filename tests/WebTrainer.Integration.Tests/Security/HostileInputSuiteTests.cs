using System.Globalization;
using System.Net;
using WebTrainer.Integration.Tests.Auth;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using Xunit.Abstractions;

namespace WebTrainer.Integration.Tests.Security;

/// <summary>
/// The bad-input suite through the real Web: hostile files, images and requests. Each is answered with a 4xx
/// that names the problem within <see cref="HostileCase.Deadline"/>; over the whole suite the Web's peak
/// resident memory grows by at most <see cref="MaxPeakGrowthMb"/>; afterwards it is healthy and a job trains.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileInputSuiteTests(PostgresServer server, ITestOutputHelper output)
{
    private const long MaxPeakGrowthMb = 200;

    [Fact]
    public async Task EveryHostileInput_Gets4xxNamingTheProblem_InBoundedTimeAndMemory_AndTheServerStaysUseful()
    {
        using var secondRoot = new TempDirectory("webtrainer-root2");
        await using var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?> { ["DataRoots__1"] = secondRoot.Path });
        var good = await system.AddSyntheticDatasetAsync("good.h5", count: 200);
        File.Copy(Path.Combine(system.DataRoot, good), Path.Combine(secondRoot.Path, HostileAccess.OtherRootFile));
        Directory.CreateDirectory(Path.Combine(system.DataRoot, "folder.h5"));
        var hostileFiles = HostileFiles.WriteAll(system.DataRoot);
        await system.StartWebAsync();
        await system.StartWorkerAsync("worker-a");
        using var member = await system.MemberAsync("mallory@webtrainer.test");
        using var browser = await CookieBrowser.SignedInAsync(system.WebAddress!, "mallory@webtrainer.test", "member-password-1");
        var trained = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(good) with { Name = "the admin's model" });
        await system.WaitForJobAsync(trained, j => j.Summary.Status == JobStatus.Succeeded, TimeSpan.FromMinutes(3));
        var queued = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(good, epochs: 200) with { Name = "the admin's long job" });
        var members = await SubmitAsMemberAsync(member, good);
        var context = new HostileContext(system, member, queued, members, trained, good);
        await WarmUpAsync(system, good, trained);
        var web = system.Web!.Id;
        long baselineMb = ResidentMb(web, "VmRSS");
        ResetPeak(web);

        var cases = HostileRequests.All(context).Concat(HostileFiles.All(context, hostileFiles)).Concat(HostileAccess.All(context, browser)).ToList();
        var failures = new List<string>();
        foreach (var hostile in cases)
        {
            var (failure, took, code) = await hostile.CheckAsync();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{code} {took.TotalMilliseconds,6:F0} ms  {hostile.Name}{(failure is null ? "" : "  FAILED")}"));
            if (failure is not null)
            {
                failures.Add(failure);
            }
        }
        long peakMb = ResidentMb(web, "VmHWM");
        output.WriteLine($"{cases.Count} cases; Web resident memory {baselineMb} MB before, peak {peakMb} MB during (+{peakMb - baselineMb} MB)");

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n{string.Join("\n", failures)}");
        Assert.True(cases.Count >= 60, $"the suite has only {cases.Count} cases");
        Assert.True(peakMb - baselineMb <= MaxPeakGrowthMb, $"the Web's peak resident memory grew by {peakMb - baselineMb} MB (limit {MaxPeakGrowthMb})");
        Assert.False(system.Web.HasExited, "the Web died");
        using (var health = await system.Anonymous().GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        foreach (var job in new[] { queued, members })
        {
            using var cancel = await system.Http.PostAsync($"/api/jobs/{job}/cancel", null);
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/api/me")).StatusCode); // the forged logout changed nothing
        Assert.False(File.Exists(Path.Combine(system.DataRoot, "forged.h5")));
        var after = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(good, epochs: 2) with { Name = "after the suite" });
        var done = await system.WaitForJobAsync(after, j => j.Summary.Status is not (JobStatus.Queued or JobStatus.Running), TimeSpan.FromMinutes(5));
        Assert.True(done.Summary.Status == JobStatus.Succeeded, $"the job after the suite ended {done.Summary.Status}: {done.Summary.Error}");
        Assert.Equal(2, done.Epochs.Count);
    }

    private static async Task<long> SubmitAsMemberAsync(HttpClient member, string good)
    {
        using var response = await member.PostAsync("/api/jobs",
            System.Net.Http.Json.JsonContent.Create(WebTrainerSystem.SmallSpec(good, epochs: 200) with { Name = "the member's own job" }, options: Shared.Json.ContractJson.Options));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return Shared.Json.ContractJson.Deserialize<JobCreated>(body).Id;
    }

    /// <summary>The good paths once, so what is measured is what hostile input adds, not first-use costs.</summary>
    private static async Task WarmUpAsync(WebTrainerSystem system, string good, long trained)
    {
        (await system.Http.GetAsync($"/api/datasets/inspect?file={good}")).EnsureSuccessStatusCode();
        (await system.Http.GetAsync($"/api/datasets/preview?file={good}&dataset=train_img&index=0")).EnsureSuccessStatusCode();
        (await system.Http.PostAsync($"/api/jobs/{trained}/predict", new ByteArrayContent(HostileContext.SmallPng()))).EnsureSuccessStatusCode();
        (await system.Http.GetAsync("/datasets")).EnsureSuccessStatusCode();
    }

    private static long ResidentMb(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Writing 5 to clear_refs resets the kernel's peak-RSS mark (VmHWM) to the current RSS.</summary>
    private static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");
}
