using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Api;

/// <summary><c>POST /api/datasets/optimize</c>: what it queues, and every refusal naming its problem (nothing queued then).</summary>
[Collection(PostgresCollection.Name)]
public sealed class OptimizeApiTests(PostgresServer server) : WebOnlyTest(server)
{
    [Fact]
    public async Task Optimize_QueuesAnOptimiseJob_WritingNextToTheInputInTheUploadRoot()
    {
        using var response = await PostAsync(new OptimizeRequest { File = Dataset, Layout = OptimizeLayouts.Chunked, DeflateLevel = 4 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = ContractJson.Deserialize<JobCreated>(await response.Content.ReadAsStringAsync());
        Assert.Equal(JobStatus.Queued, created.Status);
        var job = await Web.GetJobAsync(created.Id);
        Assert.Equal(JobKinds.Optimize, job.Summary.Kind);
        Assert.Equal(WebTrainerSystem.AdminEmail, job.Summary.Owner);
        Assert.Equal(Dataset, job.Summary.DatasetFile);
        Assert.Equal("stripes.optimized.h5", job.Summary.OutputFile);
        Assert.Equal(new OptimizeSpec { Input = Dataset, Output = "stripes.optimized.h5", OutputRoot = 0, Layout = OptimizeLayouts.Chunked, DeflateLevel = 4 },
            job.Optimize);
        using var clone = await Web.Http.PostAsync($"/api/jobs/{created.Id}/clone", null);
        Assert.Equal(HttpStatusCode.BadRequest, clone.StatusCode);
    }

    [Theory]
    [InlineData("missing.h5", "file", "no such file in the data roots")]
    [InlineData("../outside.h5", "file", "'..' is not allowed")]
    [InlineData("/etc/hostname", "file", "must be relative to a data root")]
    public async Task Optimize_InputOutsideTheRootsOrMissing_Is400NamingTheFile(string file, string field, string problem)
    {
        await AssertRefusedAsync(new OptimizeRequest { File = file }, field, problem);
    }

    [Fact]
    public async Task Optimize_InputNotHdf5_Is400()
    {
        await File.WriteAllTextAsync(Path.Combine(Web.DataRoot, "notes.h5"), "not hdf5");

        await AssertRefusedAsync(new OptimizeRequest { File = "notes.h5" }, "file", "not an HDF5 file");
    }

    [Fact]
    public async Task Optimize_BadLayoutOrDeflateLevel_Is400NamingTheChoices()
    {
        await AssertRefusedAsync(new OptimizeRequest { File = Dataset, Layout = "zigzag" }, "layout",
            "unknown layout 'zigzag'; choose one of: contiguous, chunked");
        await AssertRefusedAsync(new OptimizeRequest { File = Dataset, Layout = OptimizeLayouts.Chunked, DeflateLevel = 12 }, "deflateLevel",
            "deflateLevel must be 0..9");
        await AssertRefusedAsync(new OptimizeRequest { File = Dataset, DeflateLevel = 4 }, "deflateLevel", "deflate needs layout 'chunked'");
    }

    [Fact]
    public async Task Optimize_OutputOutsideTheRootOrNotH5_Is400()
    {
        await AssertRefusedAsync(new OptimizeRequest { File = Dataset, Output = "../escape.h5" }, "output", "'..' is not allowed");
        await AssertRefusedAsync(new OptimizeRequest { File = Dataset, Output = "out.txt" }, "output", "must end in .h5");
    }

    [Fact]
    public async Task Optimize_OntoAnExistingFile_Is409_AndTheFileIsKept()
    {
        var taken = Path.Combine(Web.DataRoot, "taken.h5");
        await File.WriteAllTextAsync(taken, "someone's file");

        using var response = await PostAsync(new OptimizeRequest { File = Dataset, Output = "taken.h5" });
        using var onto = await PostAsync(new OptimizeRequest { File = Dataset, Output = Dataset });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("'taken.h5' already exists", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, onto.StatusCode);
        Assert.Equal("someone's file", await File.ReadAllTextAsync(taken));
        Assert.Equal(0L, await Db.CountAsync(Web.ConnectionString, "SELECT count(*) FROM jobs WHERE kind = 'optimize'"));
    }

    [Fact]
    public async Task Optimize_OntoTheOutputOfAQueuedOptimiseJob_Is409NamingThatJob()
    {
        using var first = await PostAsync(new OptimizeRequest { File = Dataset });
        var id = ContractJson.Deserialize<JobCreated>(await first.Content.ReadAsStringAsync()).Id;

        using var second = await PostAsync(new OptimizeRequest { File = Dataset, Layout = OptimizeLayouts.Chunked });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains($"is being written by optimise job {id}", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1L, await Db.CountAsync(Web.ConnectionString, "SELECT count(*) FROM jobs WHERE kind = 'optimize'"));
    }

    [Fact]
    public async Task Optimize_WithoutIdentity_Is401()
    {
        using var anonymous = Web.Anonymous();

        using var response = await anonymous.PostAsJsonAsync("/api/datasets/optimize", new OptimizeRequest { File = Dataset }, ContractJson.Options);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(OptimizeRequest request) =>
        Web.Http.PostAsJsonAsync("/api/datasets/optimize", request, ContractJson.Options);

    private async Task AssertRefusedAsync(OptimizeRequest request, string field, string problem)
    {
        using var response = await PostAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        var messages = json.RootElement.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains(problem, StringComparison.Ordinal));
        Assert.Equal(0L, await Db.CountAsync(Web.ConnectionString, "SELECT count(*) FROM jobs WHERE kind = 'optimize'"));
    }
}
