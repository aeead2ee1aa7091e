using System.Net;
using System.Net.Http.Json;
using System.Text;
using PureHDF;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Jobs;

/// <summary>
/// One table of bad inputs, each answered with the right status and a message that names the
/// problem; afterwards nothing new is queued and the Worker is still alive.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BadInputTests(PostgresServer server)
{
    private sealed record Case(string Name, Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string? Mentions);

    [Fact]
    public async Task EveryBadInput_GetsTheRightStatusAndNamesTheProblem_QueuesNothing_AndLeavesTheWorkerRunning()
    {
        await using var system = await WebTrainerSystem.CreateAsync(server, new Dictionary<string, string?> { ["Uploads__MaxBytes"] = "1048576" });
        await system.StartWebAsync();
        var good = await system.AddSyntheticDatasetAsync();
        using var outside = new TempDirectory("webtrainer-outside");
        WriteBadFiles(system.DataRoot, outside.File("stripes.h5"));
        var worker = await system.StartWorkerAsync("worker-a");
        using var member = await system.MemberAsync("mel@webtrainer.test");
        using var anonymous = system.Anonymous();
        var adminsJob = await system.SubmitOkAsync(WebTrainerSystem.SmallSpec(good) with { Name = "the admin's" });
        long jobsBefore = await Db.CountAsync(system.ConnectionString, "SELECT count(*) FROM jobs");

        JobSpec Spec(Func<JobSpec, JobSpec> change) => change(WebTrainerSystem.SmallSpec(good));
        JobSpec Training(Func<TrainingSpec, TrainingSpec> change) => Spec(s => s with { Training = change(s.Training) });
        JobSpec File(string file) => WebTrainerSystem.SmallSpec(file);
        Task<HttpResponseMessage> Submit(JobSpec spec) => system.SubmitAsync(spec);
        Task<HttpResponseMessage> Raw(string body, string type = "application/json") =>
            system.Http.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, type));
        Task<HttpResponseMessage> Upload(string name, byte[] bytes) =>
            system.Http.PostAsync($"/api/datasets/upload?name={name}", new ByteArrayContent(bytes));

        var cases = new List<Case>
        {
            new("malformed JSON", () => Raw("{ \"name\": \"x\", "), HttpStatusCode.BadRequest, "not a valid job spec"),
            new("JSON of the wrong type", () => Raw("{ \"training\": { \"epochs\": \"many\" } }"), HttpStatusCode.BadRequest, "$.training.epochs"),
            new("a JSON array", () => Raw("[1, 2, 3]"), HttpStatusCode.BadRequest, "not a valid job spec"),
            new("dataset null", () => Raw("{ \"name\": \"x\", \"dataset\": null }"), HttpStatusCode.BadRequest, "dataset"),
            new("empty body", () => Raw(""), HttpStatusCode.BadRequest, null),
            new("not JSON at all", () => Raw("epochs=5", "text/plain"), HttpStatusCode.UnsupportedMediaType, null),
            new("zero epochs", () => Submit(Training(t => t with { Epochs = 0 })), HttpStatusCode.BadRequest, "training.epochs"),
            new("negative epochs", () => Submit(Training(t => t with { Epochs = -3 })), HttpStatusCode.BadRequest, "training.epochs"),
            new("huge epochs", () => Submit(Training(t => t with { Epochs = 1_000_000_000 })), HttpStatusCode.BadRequest, "training.epochs"),
            new("zero batch size", () => Submit(Training(t => t with { BatchSize = 0 })), HttpStatusCode.BadRequest, "training.batchSize"),
            new("negative batch size", () => Submit(Training(t => t with { BatchSize = -32 })), HttpStatusCode.BadRequest, "training.batchSize"),
            new("huge batch size", () => Submit(Training(t => t with { BatchSize = 10_000_000 })), HttpStatusCode.BadRequest, "training.batchSize"),
            new("zero learning rate", () => Submit(Training(t => t with { LearningRate = 0 })), HttpStatusCode.BadRequest, "training.learningRate"),
            new("unknown optimizer", () => Submit(Training(t => t with { Optimizer = "rmsprop" })), HttpStatusCode.BadRequest, "rmsprop"),
            new("unknown sampling", () => Submit(Training(t => t with { Sampling = "zigzag" })), HttpStatusCode.BadRequest, "zigzag"),
            new("unknown device", () => Submit(Training(t => t with { Device = "tpu" })), HttpStatusCode.BadRequest, "training.device"),
            new("unknown augmentation device", () => Submit(Spec(s => s with { Augmentation = s.Augmentation with { Device = "fpga" } })),
                HttpStatusCode.BadRequest, "augmentation.device"),
            new("label smoothing too large", () => Submit(Training(t => t with { LabelSmoothing = 0.9 })), HttpStatusCode.BadRequest, "training.labelSmoothing"),
            new("unknown model", () => Submit(Spec(s => s with { Model = new ModelSpec { Architecture = "vgg99" } })), HttpStatusCode.BadRequest, "vgg99"),
            new("empty name", () => Submit(Spec(s => s with { Name = "" })), HttpStatusCode.BadRequest, "Name"),
            new("fractions not summing to 1", () => Submit(Spec(s => s with { Dataset = s.Dataset with { Validation = null, Test = null, SplitFractions = new SplitFractions { Train = 0.5, Validation = 0.2, Test = 0.1 } } })),
                HttpStatusCode.BadRequest, "dataset.splitFractions"),
            new("no dataset file", () => Submit(File("")), HttpStatusCode.BadRequest, "dataset.file"),
            new("missing dataset file", () => Submit(File("nowhere.h5")), HttpStatusCode.BadRequest, "no such file in the data roots"),
            new("path traversal", () => Submit(File("../../etc/passwd")), HttpStatusCode.BadRequest, "'..' is not allowed"),
            new("absolute path", () => Submit(File("/etc/passwd")), HttpStatusCode.BadRequest, "absolute path"),
            new("symlink out of the roots", () => Submit(File("escape.h5")), HttpStatusCode.BadRequest, "outside the data roots"),
            new("missing images dataset", () => Submit(Spec(s => s with { Dataset = s.Dataset with { Train = new SplitSpec { Images = "pictures", Labels = "train_labels" } } })),
                HttpStatusCode.BadRequest, "'pictures'"),
            new("missing labels dataset", () => Submit(Spec(s => s with { Dataset = s.Dataset with { Train = new SplitSpec { Images = "train_img", Labels = "tags" } } })),
                HttpStatusCode.BadRequest, "'tags'"),
            new("images and labels of different lengths", () => Submit(File("mismatch.h5") with { Dataset = TrainOnly("mismatch.h5") }),
                HttpStatusCode.BadRequest, "has 8 labels but 'train_img' has 10 images"),
            new("not an HDF5 file", () => Submit(File("notes.h5")), HttpStatusCode.BadRequest, "not an HDF5 file"),
            new("truncated HDF5 file", () => Submit(File("truncated.h5")), HttpStatusCode.BadRequest, "truncated.h5"),
            new("NaN in float images", () => Submit(File("nan.h5") with { Dataset = TrainOnly("nan.h5") }), HttpStatusCode.BadRequest, "NaN"),
            new("labels out of range", () => Submit(File("labels-range.h5")), HttpStatusCode.BadRequest, "out of range"),
            new("negative labels", () => Submit(File("negative.h5") with { Dataset = TrainOnly("negative.h5") }), HttpStatusCode.BadRequest, "not a class index"),
            new("one-hot rows not summing to 1", () => Submit(File("onehot.h5") with { Dataset = TrainOnly("onehot.h5") }), HttpStatusCode.BadRequest, "sums to 0.5"),
            new("unsupported image dtype", () => Submit(File("int-images.h5") with { Dataset = TrainOnly("int-images.h5") }), HttpStatusCode.BadRequest, "int32"),
            new("oversized upload", () => Upload("big.h5", new byte[2 * 1024 * 1024]), HttpStatusCode.RequestEntityTooLarge, "limited to 1048576 bytes"),
            new("upload that is not HDF5", () => Upload("fake.h5", Encoding.UTF8.GetBytes("hello")), HttpStatusCode.BadRequest, "nothing was kept"),
            new("upload with a traversal name", () => Upload("../up.h5", [1, 2, 3]), HttpStatusCode.BadRequest, "'..' is not allowed"),
            new("upload with a wrong extension", () => Upload("data.csv", [1, 2, 3]), HttpStatusCode.BadRequest, "must end in"),
            new("no identity", () => anonymous.PostAsync("/api/jobs", JsonContent.Create(WebTrainerSystem.SmallSpec(good), options: ContractJson.Options)), HttpStatusCode.Unauthorized, null),
            new("another member's job", () => member.PostAsync($"/api/jobs/{adminsJob}/cancel", null), HttpStatusCode.Forbidden, "belongs to"),
            new("a job that does not exist", () => system.Http.PostAsync("/api/jobs/424242/cancel", null), HttpStatusCode.NotFound, null),
            new("bad paging", () => system.Http.GetAsync("/api/jobs?page=0&pageSize=100000"), HttpStatusCode.BadRequest, "pageSize"),
        };

        var failures = new List<string>();
        foreach (var c in cases)
        {
            using var response = await c.Send();
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != c.Status)
            {
                failures.Add($"{c.Name}: expected {(int)c.Status}, got {(int)response.StatusCode} {body}");
            }
            else if (c.Mentions is not null && !body.Contains(c.Mentions, StringComparison.Ordinal))
            {
                failures.Add($"{c.Name}: the answer does not mention \"{c.Mentions}\": {body}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(jobsBefore, await Db.CountAsync(system.ConnectionString, "SELECT count(*) FROM jobs"));
        Assert.False(worker.HasExited, "the Worker crashed");
        Assert.DoesNotContain(Directory.EnumerateFiles(system.DataRoot), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    private static DatasetSpec TrainOnly(string file) => new() { File = file };

    private static void WriteBadFiles(string root, string outside)
    {
        Hdf5Fixtures.Write(Path.Combine(root, "mismatch.h5"), f =>
        {
            f["train_img"] = Hdf5Fixtures.Images(10);
            f["train_labels"] = Hdf5Fixtures.IntegerLabels(8, 2);
        });
        Hdf5Fixtures.Write(Path.Combine(root, "nan.h5"), f =>
        {
            f["train_img"] = Hdf5Fixtures.FloatImages(10, 8, poisonIndex: 5 * 64 + 3);
            f["train_labels"] = Hdf5Fixtures.IntegerLabels(10, 2);
        });
        Hdf5Fixtures.Write(Path.Combine(root, "labels-range.h5"), f =>
        {
            f["train_img"] = Hdf5Fixtures.Images(8);
            f["train_labels"] = Hdf5Fixtures.IntegerLabels(8, 4);
            f["valid_img"] = Hdf5Fixtures.Images(4);
            f["valid_labels"] = Hdf5Fixtures.IntegerLabels(0, 1, 9, 2);
            f["test_img"] = Hdf5Fixtures.Images(4);
            f["test_labels"] = Hdf5Fixtures.IntegerLabels(4, 4);
        });
        Hdf5Fixtures.Write(Path.Combine(root, "negative.h5"), f =>
        {
            f["train_img"] = Hdf5Fixtures.Images(4);
            f["train_labels"] = Hdf5Fixtures.IntegerLabels(0, 1, -1, 1);
        });
        Hdf5Fixtures.Write(Path.Combine(root, "onehot.h5"), f =>
        {
            f["train_img"] = Hdf5Fixtures.Images(6);
            f["train_labels"] = Hdf5Fixtures.OneHot(6, 3, rowValue: 0.5f);
        });
        Hdf5Fixtures.Write(Path.Combine(root, "int-images.h5"), f =>
        {
            f["train_img"] = new H5Dataset(new int[6 * 8 * 8], fileDims: [6, 8, 8, 1]);
            f["train_labels"] = Hdf5Fixtures.IntegerLabels(6, 2);
        });
        System.IO.File.WriteAllText(Path.Combine(root, "notes.h5"), "these are my notes, not HDF5");
        System.IO.File.Copy(Path.Combine(root, "stripes.h5"), Path.Combine(root, "truncated.h5"));
        Hdf5Fixtures.Truncate(Path.Combine(root, "truncated.h5"), 0.5);
        System.IO.File.Copy(Path.Combine(root, "stripes.h5"), outside);
        System.IO.File.CreateSymbolicLink(Path.Combine(root, "escape.h5"), outside);
    }
}
