using System.Net;
using System.Text.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Jobs;

/// <summary>Bad specs get a 400 ProblemDetails that names the problem, and nothing is queued.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SubmissionValidationTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;
    private string _file = "";

    public async Task InitializeAsync()
    {
        _system = await WebTrainerSystem.CreateAsync(server);
        _file = await _system.AddSyntheticDatasetAsync();
        await _system.StartWebAsync();
    }

    [Theory]
    [InlineData("missing.h5", "no such file in the data roots")]
    [InlineData("../outside.h5", "'..' is not allowed")]
    [InlineData("sub/../../outside.h5", "'..' is not allowed")]
    [InlineData("/etc/passwd", "not an absolute path")]
    public async Task Submit_BadDatasetPath_Is400_NamingTheProblem_AndQueuesNothing(string file, string problem)
    {
        var detail = await SubmitExpecting400Async(WebTrainerSystem.SmallSpec(file));

        Assert.Contains(problem, detail, StringComparison.Ordinal);
        Assert.Contains(file, detail, StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task Submit_SymlinkLeadingOutsideTheRoots_Is400()
    {
        using var outside = new TempDirectory("webtrainer-outside");
        var target = outside.File("secret.h5");
        File.Copy(Path.Combine(_system.DataRoot, _file), target);
        File.CreateSymbolicLink(Path.Combine(_system.DataRoot, "link.h5"), target);

        var detail = await SubmitExpecting400Async(WebTrainerSystem.SmallSpec("link.h5"));

        Assert.Contains("outside the data roots", detail, StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task Submit_MissingDatasetInsideTheFile_Is400_NamingTheDataset()
    {
        var spec = WebTrainerSystem.SmallSpec(_file) with
        {
            Dataset = WebTrainerSystem.SmallSpec(_file).Dataset with { Train = new SplitSpec { Images = "no_such_images", Labels = "train_labels" } },
        };

        var detail = await SubmitExpecting400Async(spec);

        Assert.Contains("'no_such_images'", detail, StringComparison.Ordinal);
        Assert.Contains("no such dataset", detail, StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task Submit_NotAnHdf5File_Is400()
    {
        await File.WriteAllTextAsync(Path.Combine(_system.DataRoot, "notes.h5"), "this is not HDF5");

        var detail = await SubmitExpecting400Async(WebTrainerSystem.SmallSpec("notes.h5"));

        Assert.Contains("notes.h5", detail, StringComparison.Ordinal);
        Assert.Contains("not an HDF5 file", detail, StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task Submit_InvalidFields_Is400_WithAnErrorPerField()
    {
        var spec = WebTrainerSystem.SmallSpec(_file) with
        {
            Model = new ModelSpec { Architecture = "alexnet-9000" },
            Training = new TrainingSpec { Epochs = 0, BatchSize = -5, Optimizer = "rmsprop" },
        };

        using var response = await _system.SubmitAsync(spec);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var errors = json.RootElement.GetProperty("errors");
        Assert.Contains("alexnet-9000", errors.GetProperty("model.architecture")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("training.epochs", out _));
        Assert.True(errors.TryGetProperty("training.batchSize", out _));
        Assert.Contains("rmsprop", errors.GetProperty("training.optimizer")[0].GetString(), StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task Submit_BadTrainingKnobs_Is400_WithAMessagePerKnob()
    {
        var spec = WebTrainerSystem.SmallSpec(_file) with
        {
            Training = new TrainingSpec
            {
                GradientClipNorm = -1, GradientAccumulationSteps = 0, WarmupEpochs = 2, WarmupSteps = 100, WarmupStartFactor = 1.5,
            },
        };

        using var response = await _system.SubmitAsync(spec);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = json.RootElement.GetProperty("errors");
        Assert.Contains("not -1", errors.GetProperty("training.gradientClipNorm")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("from 1 (a step per batch)", errors.GetProperty("training.gradientAccumulationSteps")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("not both", errors.GetProperty("training.warmupSteps")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("(0, 1], not 1.5", errors.GetProperty("training.warmupStartFactor")[0].GetString(), StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task Submit_MalformedJson_Is400()
    {
        using var response = await _system.Http.PostAsync("/api/jobs",
            new StringContent("{ \"name\": \"x\", \"training\": { \"epochs\": \"many\" ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingQueuedAsync();
    }

    private async Task<string> SubmitExpecting400Async(JobSpec spec)
    {
        using var response = await _system.SubmitAsync(spec);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("detail").GetString()!;
    }

    private async Task AssertNothingQueuedAsync()
    {
        Assert.Equal(0, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM jobs"));
        Assert.Equal(0, await Db.CountAsync(_system.ConnectionString, "SELECT count(*) FROM hangfire.job"));
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
