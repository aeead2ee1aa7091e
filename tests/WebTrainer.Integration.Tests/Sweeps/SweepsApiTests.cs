using System.Net;
using System.Text.Json;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Sweeps;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Sweeps;

/// <summary>The sweeps endpoints against a real Web and database, no Worker: what gets queued, what is refused, who sees what.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SweepsApiTests(PostgresServer server) : WebOnlyTest(server)
{
    private JobSpec Base => WebTrainerSystem.SmallSpec(Dataset) with { Name = "ignored" };

    [Fact]
    public async Task Grid_QueuesOneJobPerPoint_WithItsValuesSetAndNamed()
    {
        var created = await Sweeps.PostOkAsync(Web.Http, Sweeps.Grid("lr-sweep", Base,
            """{"training.learningRate": [0.001, 0.0003], "training.batchSize": [64, 128]}"""));

        Assert.Equal(4, created.JobIds.Count);
        var jobs = new List<JobDetail>();
        foreach (var id in created.JobIds)
        {
            jobs.Add(await Sweeps.JobAsync(Web.Http, id));
        }
        Assert.Equal(
            ["lr-sweep #1 learningRate=0.001 batchSize=64", "lr-sweep #2 learningRate=0.001 batchSize=128",
             "lr-sweep #3 learningRate=0.0003 batchSize=64", "lr-sweep #4 learningRate=0.0003 batchSize=128"],
            jobs.Select(j => j.Summary.Name));
        Assert.Equal([0.001, 0.001, 0.0003, 0.0003], jobs.Select(j => j.Spec.Training.LearningRate));
        Assert.Equal([64, 128, 64, 128], jobs.Select(j => j.Spec.Training.BatchSize));
        // Everything not swept is the base's.
        Assert.All(jobs, j => Assert.Equal(Base.Dataset, j.Spec.Dataset));
        Assert.All(jobs, j => Assert.Equal(Base.Training with { LearningRate = j.Spec.Training.LearningRate, BatchSize = j.Spec.Training.BatchSize }, j.Spec.Training));

        var sweep = await Sweeps.GetAsync(Web.Http, created.Id);
        Assert.Equal("lr-sweep", sweep.Summary.Name);
        Assert.Equal(SweepSummary.Grid, sweep.Summary.Kind);
        Assert.Equal(["training.learningRate", "training.batchSize"], sweep.Summary.Paths);
        Assert.Equal(4, sweep.Summary.StatusCounts[JobStatus.Queued]);
        Assert.Equal(created.JobIds, sweep.Points.Select(p => p.JobId));
        Assert.Equal([1, 2, 3, 4], sweep.Points.Select(p => p.Index));
        Assert.Equal(128, sweep.Points[3].Values["training.batchSize"].GetInt32());
        Assert.All(sweep.Points, p => Assert.Null(p.BestValidationAccuracy));
    }

    [Fact]
    public async Task Random_SameSeed_QueuesTheSamePoints_InsideTheSpace()
    {
        const string space = """
            {"training.learningRate": {"logUniform": [0.0001, 0.01]}, "training.optimizer": ["adam", "sgd"],
             "training.batchSize": {"intUniform": [16, 64]}, "augmentation.rotationRange": {"uniform": [0, 20]}}
            """;
        var first = await Sweeps.PostOkAsync(Web.Http, Sweeps.Random("rand", Base, 6, 1, space));
        var again = await Sweeps.PostOkAsync(Web.Http, Sweeps.Random("rand", Base, 6, 1, space));
        var other = await Sweeps.PostOkAsync(Web.Http, Sweeps.Random("rand", Base, 6, 2, space));

        var firstSpecs = await SpecsAsync(first);
        Assert.Equal(firstSpecs, await SpecsAsync(again));
        Assert.NotEqual(firstSpecs, await SpecsAsync(other));
        Assert.All(firstSpecs, s =>
        {
            Assert.InRange(s.Training.LearningRate, 0.0001, 0.01);
            Assert.Contains(s.Training.Optimizer, new[] { "adam", "sgd" });
            Assert.InRange(s.Training.BatchSize, 16, 64);
            Assert.InRange(s.Augmentation.RotationRange, 0, 20);
        });
        Assert.True(firstSpecs.Select(s => s.Training.LearningRate).Distinct().Count() > 1);
        var sweep = await Sweeps.GetAsync(Web.Http, first.Id);
        Assert.Equal(SweepSummary.Random, sweep.Summary.Kind);
        // The name shows exactly the value the spec holds.
        Assert.All(sweep.Points, p => Assert.Contains(
            $"learningRate={p.Values["training.learningRate"].GetRawText()}", p.Name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"training.lr": [0.1]}""", "training.lr", "no field 'lr'")]
    [InlineData("""{"trainin.learningRate": [0.1]}""", "trainin.learningRate", "no field 'trainin'")]
    [InlineData("""{"training.batchSize": [64, "big"]}""", "training.batchSize", "not an integer")]
    [InlineData("""{"training.batchSize": [64, 1.5]}""", "training.batchSize", "not an integer")]
    [InlineData("""{"training.optimizer": ["adam", 3]}""", "training.optimizer", "not a string")]
    [InlineData("""{"training.epochs.count": [1]}""", "training.epochs.count", "not an object")]
    [InlineData("""{"training.learningRate": []}""", "training.learningRate", "at least one value")]
    [InlineData("""{"training.learningRate": [0.001, 20]}""", "training.learningRate", "#2")]
    [InlineData("""{"training.optimizer": ["adam", "rmsprop"]}""", "training.optimizer", "rmsprop")]
    public async Task BadGrid_Is400NamingThePath_AndQueuesNothing(string grid, string path, string message)
    {
        using var response = await Sweeps.PostAsync(Web.Http, Sweeps.Grid("bad", Base, grid));

        await AssertRefusedAsync(response, path, message);
    }

    [Theory]
    [InlineData("""{"training.batchSize": {"uniform": [16, 64]}}""", "training.batchSize", "intUniform")]
    [InlineData("""{"training.learningRate": {"logUniform": [0, 0.1]}}""", "training.learningRate", "low > 0")]
    [InlineData("""{"training.learningRate": {"normal": [0, 1]}}""", "training.learningRate", "logUniform")]
    [InlineData("""{"training.learningRat": {"logUniform": [0.001, 0.1]}}""", "training.learningRat", "no field")]
    public async Task BadRandomSpace_Is400NamingThePath_AndQueuesNothing(string space, string path, string message)
    {
        using var response = await Sweeps.PostAsync(Web.Http, Sweeps.Random("bad", Base, 3, 1, space));

        await AssertRefusedAsync(response, path, message);
    }

    [Fact]
    public async Task MorePointsThanTheLimit_Is400_AndQueuesNothing()
    {
        using var grid = await Sweeps.PostAsync(Web.Http, Sweeps.Grid("big", Base,
            """{"training.learningRate": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], "training.batchSize": [8, 16, 24, 32, 40, 48, 56, 64]}"""));
        await AssertRefusedAsync(grid, "grid", "72 points");
        Assert.Contains("at most 64", await grid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var random = await Sweeps.PostAsync(Web.Http, Sweeps.Random("big", Base, 65, 1, """{"training.optimizer": ["adam"]}"""));
        await AssertRefusedAsync(random, "random.count", "1 to 64");
    }

    [Fact]
    public async Task GridAndRandomTogether_OrAGridValueThatIsNoList_Is400()
    {
        var both = Sweeps.Grid("both", Base, """{"training.learningRate": [0.1]}""");
        both["random"] = System.Text.Json.Nodes.JsonNode.Parse("""{"count": 2, "seed": 1, "space": {"training.optimizer": ["adam"]}}""");
        using var twice = await Sweeps.PostAsync(Web.Http, both);
        await AssertRefusedAsync(twice, "grid", "not both");

        using var notAList = await Sweeps.PostAsync(Web.Http, Sweeps.Grid("scalar", Base, """{"training.learningRate": 0.1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, notAList.StatusCode);
        Assert.Contains("not a valid sweep request", await notAList.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task DatasetProblem_Is400_AndQueuesNothing()
    {
        var missing = Base with { Dataset = Base.Dataset with { File = "nowhere.h5" } };

        using var response = await Sweeps.PostAsync(Web.Http, Sweeps.Grid("nofile", missing, """{"training.learningRate": [0.1, 0.2]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("dataset.file", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task AnothersSweep_IsNotFound_ToAMember_ButAdminsSeeAll()
    {
        var admins = await Sweeps.PostOkAsync(Web.Http, Sweeps.Grid("admins", Base, """{"training.learningRate": [0.1, 0.2]}"""));
        using var mia = await Web.MemberAsync("mia@webtrainer.test");
        var mias = await Sweeps.PostOkAsync(mia, Sweeps.Grid("mias", Base, """{"training.learningRate": [0.1]}"""));

        Assert.Equal(HttpStatusCode.NotFound, (await mia.GetAsync($"/api/sweeps/{admins.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mia.PostAsync($"/api/sweeps/{admins.Id}/cancel", null)).StatusCode);
        var miaSees = ContractJson.Deserialize<List<SweepSummary>>(await mia.GetStringAsync("/api/sweeps"));
        Assert.Equal([mias.Id], miaSees.Select(s => s.Id));
        Assert.Equal("mia@webtrainer.test", (await Sweeps.GetAsync(mia, mias.Id)).Summary.Owner);

        var adminSees = ContractJson.Deserialize<List<SweepSummary>>(await Web.Http.GetStringAsync("/api/sweeps"));
        Assert.Equal([mias.Id, admins.Id], adminSees.Select(s => s.Id));
        Assert.Equal(JobStatus.Queued, (await Sweeps.JobAsync(Web.Http, admins.JobIds[0])).Summary.Status);
        Assert.Equal("mia@webtrainer.test", (await Sweeps.JobAsync(Web.Http, mias.JobIds[0])).Summary.Owner);
    }

    [Theory]
    [InlineData("GET", "/api/sweeps")]
    [InlineData("POST", "/api/sweeps")]
    [InlineData("GET", "/api/sweeps/1")]
    [InlineData("POST", "/api/sweeps/1/cancel")]
    public async Task Anonymous_Is401(string method, string path)
    {
        using var client = Web.Anonymous();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Cancel_CancelsEveryQueuedJobOfTheSweep_AndNoOtherJob()
    {
        var other = await Web.SubmitOkAsync(Base);
        var created = await Sweeps.PostOkAsync(Web.Http, Sweeps.Grid("stop-me", Base, """{"training.learningRate": [0.1, 0.2, 0.3]}"""));

        using var response = await Web.Http.PostAsync($"/api/sweeps/{created.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cancelled = ContractJson.Deserialize<SweepCancelled>(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, cancelled.CancelledWhileQueued);
        var sweep = await Sweeps.GetAsync(Web.Http, created.Id);
        Assert.All(sweep.Points, p => Assert.Equal(JobStatus.Cancelled, p.Status));
        Assert.True(sweep.Summary.Finished);
        Assert.Equal(JobStatus.Queued, (await Web.GetJobAsync(other)).Summary.Status);
    }

    [Fact]
    public async Task OpenApi_DescribesTheSweepEndpoints()
    {
        using var json = JsonDocument.Parse(await Web.Http.GetStringAsync("/openapi/v1.json"));
        var paths = json.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/sweeps").GetProperty("post").TryGetProperty("summary", out _));
        Assert.True(paths.GetProperty("/api/sweeps/{id}").GetProperty("get").TryGetProperty("summary", out _));
        Assert.True(paths.GetProperty("/api/sweeps/{id}/cancel").GetProperty("post").TryGetProperty("summary", out _));
    }

    private async Task<List<JobSpec>> SpecsAsync(SweepCreated created)
    {
        var specs = new List<JobSpec>();
        foreach (var id in created.JobIds)
        {
            var spec = (await Sweeps.JobAsync(Web.Http, id)).Spec;
            specs.Add(spec with { Name = spec.Name[spec.Name.IndexOf(' ', StringComparison.Ordinal)..] });
        }
        return specs;
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string key, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}\n{Web.Web?.Tail(30)}");
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(key, out var errors), body);
        Assert.Contains(message, errors.GetRawText(), StringComparison.Ordinal);
        await AssertNothingQueuedAsync();
    }

    private async Task AssertNothingQueuedAsync()
    {
        Assert.Equal(0, await Db.CountAsync(Web.ConnectionString, "SELECT count(*) FROM jobs"));
        Assert.Equal(0, await Db.CountAsync(Web.ConnectionString, "SELECT count(*) FROM sweeps"));
    }
}
