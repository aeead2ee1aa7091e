using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using SkiaSharp;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;
using WebTrainer.Worker.Samples;
using WebTrainer.Worker.Training.Artifacts;
using WebTrainer.Worker.Training.Models.StateDicts;
using WebTrainer.Worker.Training.TensorBoard;

namespace WebTrainer.Integration.Tests.Jobs;

[Collection(PostgresCollection.Name)]
public sealed class ArtifactsTests(PostgresServer server) : IAsyncLifetime
{
    private WebTrainerSystem _system = null!;
    private long _job;

    public async Task InitializeAsync()
    {
        _system = await WebTrainerSystem.CreateAsync(server);
        await _system.StartWebAsync();
        var file = await _system.AddSyntheticDatasetAsync(count: 1200);
        await _system.StartWorkerAsync("worker-a");
        _job = await _system.SubmitOkAsync(WebTrainerSystem.SmallSpec(file, epochs: 2));
        await _system.WaitForJobAsync(_job, j => j.Summary.Status is JobStatus.Succeeded or JobStatus.Failed, TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task Owner_DownloadsTheModel_AsWeightsPlusManifest()
    {
        using var response = await _system.Http.GetAsync($"/api/jobs/{_job}/artifacts/model");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        Assert.Equal(["model.json", "model.weights"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var manifest = new StreamReader(zip.GetEntry("model.json")!.Open());
        var json = await manifest.ReadToEndAsync();
        Assert.Contains("small_cnn", json, StringComparison.Ordinal);
        Assert.True(zip.GetEntry("model.weights")!.Length > 10_000);
    }

    [Theory]
    [InlineData("pt", ".pt")]
    [InlineData("safetensors", ".safetensors")]
    [InlineData("torchsharp", ".weights")]
    public async Task Owner_DownloadsTheWeightsAlone_InEachFormat(string format, string extension)
    {
        using var response = await _system.Http.GetAsync($"/api/jobs/{_job}/artifacts/model?format={format}");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith(extension, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        Assert.True(bytes.Length > 10_000);
        using var stream = new MemoryStream(bytes);
        Assert.Equal(format switch { "pt" => WeightsFormat.PyTorch, "safetensors" => WeightsFormat.Safetensors, _ => WeightsFormat.TorchSharp },
            WeightsFile.Detect(stream));
    }

    [Fact]
    public async Task UnknownFormat_Is400()
    {
        using var response = await _system.Http.GetAsync($"/api/jobs/{_job}/artifacts/model?format=onnx");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("format must be one of zip, torchsharp, pt, safetensors, not 'onnx'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?format=pt")]
    [InlineData("?format=safetensors")]
    public async Task AnotherMember_CannotDownloadTheModel(string query)
    {
        using var member = await _system.MemberAsync("mira@webtrainer.test");

        using var response = await member.GetAsync($"/api/jobs/{_job}/artifacts/model{query}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Owner_DownloadsTheTensorBoardEventFiles_AsAZip()
    {
        using var response = await _system.Http.GetAsync($"/api/jobs/{_job}/artifacts/tensorboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        var entry = Assert.Single(zip.Entries);
        Assert.Matches(@"^job-\d+-it/events\.out\.tfevents\.\d+\.webtrainer$", entry.FullName);
        using var events = new MemoryStream();
        await using (var stream = entry.Open())
        {
            await stream.CopyToAsync(events);
        }
        events.Position = 0;
        var scalars = EventRecords.Read(events).Select(r => ScalarEvent.Decode(r)!).ToList();
        var epochs = (await _system.GetJobAsync(_job)).Epochs;
        Assert.Equal(epochs.Select(e => (float)e.ValidationLoss!.Value), scalars.Where(s => s.Tag == "epoch/val_loss").Select(s => s.Value));
        Assert.Contains(scalars, s => s.Tag == "batch/loss");
    }

    [Fact]
    public async Task Owner_DownloadsMetricsCsv_OneRowPerEpochWithTheJobsMetrics()
    {
        using var response = await _system.Http.GetAsync($"/api/jobs/{_job}/artifacts/metrics.csv");
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var header = lines[0].Split(',');
        Assert.Equal(["epoch", "train_loss", "train_accuracy"], header[..3]);
        var epochs = (await _system.GetJobAsync(_job)).Epochs;
        Assert.Equal(2, epochs.Count);
        Assert.Equal(epochs.Count + 1, lines.Length);
        foreach (var (epoch, line) in epochs.Zip(lines.Skip(1)))
        {
            var row = header.Zip(line.Split(',')).ToDictionary(p => p.First, p => p.Second);
            Assert.Equal(epoch.Epoch, int.Parse(row["epoch"], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.TrainLoss, double.Parse(row["train_loss"], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.TrainAccuracy, double.Parse(row["train_accuracy"], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.ValidationLoss, double.Parse(row["val_loss"], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.ValidationAccuracy, double.Parse(row["val_accuracy"], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.LearningRate, double.Parse(row["learning_rate"], CultureInfo.InvariantCulture));
            Assert.Equal(epoch.SamplesPerSecond, double.Parse(row["images_per_second"], CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("tensorboard")]
    [InlineData("metrics.csv")]
    public async Task TrainingLogs_AreTheOwnersOnly_LikeTheModel(string artifact)
    {
        using var anonymous = _system.Anonymous();
        using var member = await _system.MemberAsync("mira@webtrainer.test");

        using var noIdentity = await anonymous.GetAsync($"/api/jobs/{_job}/artifacts/{artifact}");
        using var notYours = await member.GetAsync($"/api/jobs/{_job}/artifacts/{artifact}");
        using var model = await member.GetAsync($"/api/jobs/{_job}/artifacts/model");
        using var missing = await _system.Http.GetAsync($"/api/jobs/999999/artifacts/{artifact}");

        Assert.Equal(HttpStatusCode.Unauthorized, noIdentity.StatusCode);
        Assert.Equal(model.StatusCode, notYours.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notYours.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Predict_ReturnsRankedClassesForAPng()
    {
        var sample = SyntheticDataset.Generate(1, 16, 3, 4, seed: 7);
        using var content = new ByteArrayContent(Png(sample.Images, 16, 16));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        using var response = await _system.Http.PostAsync($"/api/jobs/{_job}/predict", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = ContractJson.Deserialize<List<Prediction>>(body);
        Assert.Equal(4, predictions.Count);
        Assert.Equal(predictions.OrderByDescending(p => p.Probability).Select(p => p.ClassIndex), predictions.Select(p => p.ClassIndex));
        Assert.InRange(predictions.Sum(p => p.Probability), 0.99, 1.01);
    }

    [Fact]
    public async Task Predict_NotAnImage_Is400_AndUnknownJob_Is404()
    {
        using var garbage = new ByteArrayContent("definitely not a png"u8.ToArray());

        using var bad = await _system.Http.PostAsync($"/api/jobs/{_job}/predict", garbage);
        using var missing = await _system.Http.PostAsync("/api/jobs/999/predict", new ByteArrayContent([1]));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static byte[] Png(byte[] rgb, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(rgb[i], rgb[i + 1], rgb[i + 2]));
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public async Task DisposeAsync() => await _system.DisposeAsync();
}
