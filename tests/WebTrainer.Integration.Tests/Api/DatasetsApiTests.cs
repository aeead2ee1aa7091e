using System.Net;
using System.Net.Http.Json;
using SkiaSharp;
using WebTrainer.Integration.Tests.Support;
using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Testing;

namespace WebTrainer.Integration.Tests.Api;

[Collection(PostgresCollection.Name)]
public sealed class DatasetsApiTests(PostgresServer server) : WebOnlyTest(server)
{

    [Fact]
    public async Task List_ShowsTheFilesUnderTheRoots()
    {
        var body = await Web.Http.GetStringAsync("/api/datasets");

        Assert.Contains($"\"file\":\"{Dataset}\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_DescribesEveryDataset_AndSuggestsTheSplits()
    {
        var summary = ContractJson.Deserialize<DatasetFileSummary>(await Web.Http.GetStringAsync($"/api/datasets/inspect?file={Dataset}"));

        var train = Assert.Single(summary.Datasets, d => d.Path == "train_img");
        Assert.Equal(DatasetRoles.Images, train.Role);
        Assert.Equal([140L, 16, 16, 3], train.Shape);
        Assert.Equal("uint8", train.DType);
        var labels = Assert.Single(summary.Datasets, d => d.Path == "train_labels").Labels!;
        Assert.Equal("one-hot", labels.Encoding);
        Assert.Equal(4, labels.ClassCount);
        Assert.Equal(140, labels.CountsPerClass.Sum());
        Assert.Null(labels.Problem);
        Assert.Equal(["train", "validation", "test"], summary.SuggestedSplits.Select(s => s.Name));
        Assert.Empty(summary.Problems);
    }

    [Fact]
    public async Task GuessedChunks_InspectWarnsWithTheFix_AndSubmissionSaysSo()
    {
        Food101GuessedChunksFile.Write(Path.Combine(Web.DataRoot, "guessed.h5"));

        var summary = ContractJson.Deserialize<DatasetFileSummary>(await Web.Http.GetStringAsync("/api/datasets/inspect?file=guessed.h5"));
        var train = Assert.Single(summary.Datasets, d => d.Path == "train_img").Images!;
        Assert.Equal(["random", "chunked", "sequential"], train.ReadCosts.Select(c => c.Mode));
        Assert.True(train.ReadCosts[0].Ratio > 4, string.Join(", ", train.ReadCosts));
        Assert.Equal("chunked", train.AutoSampling);
        Assert.StartsWith("train_img: every shuffling mode reads at least", train.ReadWarning, StringComparison.Ordinal);
        Assert.Contains("/api/datasets/optimize", train.ReadWarning, StringComparison.Ordinal);

        var spec = WebTrainerSystem.SmallSpec("guessed.h5") with
        {
            Dataset = new DatasetSpec { File = "guessed.h5", SplitFractions = new SplitFractions { Train = 0.8, Validation = 0.2, Test = 0 } },
        };
        using var response = await Web.Http.PostAsJsonAsync("/api/jobs", spec, ContractJson.Options);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = ContractJson.Deserialize<JobCreated>(await response.Content.ReadAsStringAsync());
        var warning = Assert.Single(created.Warnings);
        Assert.StartsWith("training.sampling: train_img: every shuffling mode reads at least", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_BadNames_Are400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Web.Http.GetAsync("/api/datasets/inspect?file=../x.h5")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Web.Http.GetAsync("/api/datasets/inspect?file=missing.h5")).StatusCode);
    }

    [Fact]
    public async Task Preview_IsAPngOfTheImage_AndAnAugmentedOneDiffers()
    {
        using var plain = await Web.Http.GetAsync($"/api/datasets/preview?file={Dataset}&dataset=train_img&index=3");
        using var flipped = await Web.Http.PostAsJsonAsync("/api/datasets/preview", new
        {
            file = Dataset, dataset = "train_img", index = 3,
            augmentation = new AugmentationSpec { RotationRange = 90, ZoomRange = 0.3 }, seed = 1, epoch = 1,
        }, ContractJson.Options);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("image/png", plain.Content.Headers.ContentType?.MediaType);
        using var image = SKBitmap.Decode(await plain.Content.ReadAsByteArrayAsync());
        Assert.Equal(96, image.Width);
        Assert.Equal(HttpStatusCode.OK, flipped.StatusCode);
        Assert.NotEqual(await plain.Content.ReadAsByteArrayAsync(), await flipped.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Preview_OfARowThatDoesNotExist_Is400()
    {
        using var response = await Web.Http.GetAsync($"/api/datasets/preview?file={Dataset}&dataset=train_img&index=100000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("outside 'train_img'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
