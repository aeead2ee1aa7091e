using System.Net;
using System.Text.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Helpers;

/// <summary>
/// HDF5 files are parsed in helper processes: one that dies, exhausts its memory or hangs on a file
/// is that request's ProblemDetails, the next request gets a fresh helper, and the Web lives on.
/// The faults are real (SIGABRT, native and managed allocation, a hang), triggered by file names
/// only because the Web runs with Helpers:FaultInjection=true.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HelperFaultTests(PostgresServer server) : IAsyncLifetime
{
    private const int MemoryLimitMb = 320;
    private WebTrainerSystem _system = null!;
    private string _file = "";

    public async Task InitializeAsync()
    {
        _system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?>
        {
            ["Helpers__FaultInjection"] = "true",
            ["Helpers__Count"] = "1",
            ["Helpers__MemoryLimitMb"] = MemoryLimitMb.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Long enough for a helper to start and answer on a loaded machine; the hang test waits this out.
            ["Helpers__RequestTimeout"] = "00:00:20",
        });
        _file = await _system.AddSyntheticDatasetAsync(count: 100);
        await _system.StartWebAsync();
    }

    [Fact]
    public async Task HelperDyingMidRequest_Is503NamingTheSignalAndTheFile_AndTheNextRequestSucceeds()
    {
        var file = CopyAs("fault-abort.h5");

        var (status, problem) = await InspectAsync(file);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("died (signal 6) while inspecting fault-abort.h5", problem, StringComparison.Ordinal);
        await AssertWebAliveAndHelpersServeAsync();
    }

    [Fact]
    public async Task HelperOverItsMemoryLimit_NativeAllocation_IsKilledAndAnswered422()
    {
        var file = CopyAs("fault-native.h5");

        var (status, problem) = await InspectAsync(file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains($"inspecting fault-native.h5 needed more than {MemoryLimitMb} MB", problem, StringComparison.Ordinal);
        Assert.Contains(_system.Web!.Lines, l => l.Contains("over its limit", StringComparison.Ordinal));
        await AssertWebAliveAndHelpersServeAsync();
    }

    [Fact]
    public async Task HelperOverItsManagedHeapLimit_IsAnswered422_AndReplaced()
    {
        var file = CopyAs("fault-managed.h5");

        var (status, problem) = await InspectAsync(file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains($"inspecting fault-managed.h5 needed more than {MemoryLimitMb} MB", problem, StringComparison.Ordinal);
        await AssertWebAliveAndHelpersServeAsync();
    }

    [Fact]
    public async Task HangingHelper_HitsTheTimeout_Is504_AndTheNextRequestSucceeds()
    {
        var file = CopyAs("fault-hang.h5");

        var (status, problem) = await InspectAsync(file);

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Contains("did not answer within 20 s while inspecting fault-hang.h5", problem, StringComparison.Ordinal);
        await AssertWebAliveAndHelpersServeAsync();
    }

    [Fact]
    public async Task HelperDyingDuringSubmission_Is503_AndQueuesNothing()
    {
        var file = CopyAs("fault-abort.h5");

        using var response = await _system.SubmitAsync(WebTrainerSystem.SmallSpec(file));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("died (signal 6) while validating fault-abort.h5", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM jobs"));
        await AssertWebAliveAndHelpersServeAsync();
    }

    private string CopyAs(string name)
    {
        File.Copy(Path.Combine(_system.DataRoot, _file), Path.Combine(_system.DataRoot, name));
        return name;
    }

    private async Task<(HttpStatusCode Status, string Detail)> InspectAsync(string file)
    {
        using var response = await _system.Http.GetAsync($"/api/datasets/inspect?file={file}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        return (response.StatusCode, json.RootElement.GetProperty("detail").GetString() ?? "");
    }

    private async Task AssertWebAliveAndHelpersServeAsync()
    {
        using (var health = await _system.Http.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        using var inspect = await _system.Http.GetAsync($"/api/datasets/inspect?file={_file}");
        Assert.Equal(HttpStatusCode.OK, inspect.StatusCode);
        Assert.False(_system.Web!.HasExited);
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
