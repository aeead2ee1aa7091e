using PureHDF;
using WebTrainer.Shared.Datasets;
using WebTrainer.Testing;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Samples;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

public sealed class InspectorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Inspect_TheSampleWritersFile_FindsRolesClassesAndSplits()
    {
        var path = _temp.File("sample.h5");
        var names = new[] { "cat", "dog", "fox" };
        SplitFileWriter.Write(path, names, SyntheticDataset.Generate(40, 8, 3, 3, 1), SyntheticDataset.Generate(10, 8, 3, 3, 2),
            SyntheticDataset.Generate(12, 8, 3, 3, 3));

        var summary = Hdf5Inspector.Inspect(path, CancellationToken.None);

        Assert.Equal(names, summary.ClassNames);
        Assert.Empty(summary.Problems);
        Assert.Equal(6, summary.Datasets.Count);
        var images = summary.Datasets.Single(d => d.Path == "train_img");
        Assert.Equal(DatasetRoles.Images, images.Role);
        Assert.Equal(new ImageSummary { Layout = "NHWC", Count = 40, Channels = 3, Height = 8, Width = 8, PixelType = "uint8" },
            images.Images! with { ImageBytes = 0, ReadCosts = [], AutoSampling = "", ReadWarning = null });
        // Contiguous: every mode reads exactly the images, so auto shuffles fully and nothing is wrong.
        Assert.Equal(8 * 8 * 3, images.Images.ImageBytes);
        Assert.Equal(["random 1", "chunked 1", "sequential 1"], images.Images.ReadCosts.Select(c => $"{c.Mode} {c.Ratio}"));
        Assert.Equal("random", images.Images.AutoSampling);
        Assert.Null(images.Images.ReadWarning);
        Assert.Equal([40L, 8, 8, 3], images.Shape);
        Assert.Equal("uint8", images.DType);
        var labels = summary.Datasets.Single(d => d.Path == "train_labels").Labels!;
        Assert.Equal("one-hot", labels.Encoding);
        Assert.Equal(3, labels.ClassCount);
        Assert.Equal(40, labels.CountsPerClass.Sum());
        Assert.Equal(names, labels.ClassNames);
        Assert.Null(labels.Problem);
        Assert.Equal(
            [("train", "train_img", "train_labels", 40L), ("validation", "valid_img", "valid_labels", 10L), ("test", "test_img", "test_labels", 12L)],
            summary.SuggestedSplits.Select(s => (s.Name, s.Images, s.Labels, s.Count)));
    }

    [Fact]
    public void Inspect_ChunksSpanningManyImages_ShowTheReadCostAndWarnWithTheFix()
    {
        var path = Food101GuessedChunksFile.Write(_temp.File("guessed.h5"));

        var images = Hdf5Inspector.Inspect(path, CancellationToken.None).Datasets.Single(d => d.Path == "train_img").Images!;

        Assert.True(images.ReadCosts.Single(c => c.Mode == "random").Ratio > 100, string.Join(", ", images.ReadCosts));
        Assert.NotNull(images.ReadWarning);
        Assert.StartsWith("train_img: every shuffling mode reads at least", images.ReadWarning, StringComparison.Ordinal);
        Assert.Contains("h5repack -l train_img:CHUNK=1x299x299x3", images.ReadWarning, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_DescribesStorage_LayoutsAndLabelChecks()
    {
        var path = _temp.File("mixed.h5");
        var badOneHot = new byte[6 * 3];
        badOneHot[0] = 1; // row 0 is fine, row 1 is all zero
        new H5File
        {
            ["x_train"] = TestFiles.Images(TestFiles.Floats(6 * 3 * 8 * 8, 1), [6, 3, 8, 8], [2, 3, 8, 8], TestFiles.Shuffle, TestFiles.Deflate),
            ["y_train"] = TestFiles.Integers(6, 4),
            ["grey"] = new H5Group
            {
                ["val_images"] = TestFiles.Images(TestFiles.Bytes(5 * 9 * 9, 2), [5, 9, 9]),
                ["val_labels"] = new H5Dataset(new long[] { 0, 1, 2, -1, 3 }, fileDims: [5]),
            },
            ["test_img"] = TestFiles.Images(TestFiles.Bytes(6 * 8 * 8 * 3, 3), [6, 8, 8, 3]),
            ["test_labels"] = new H5Dataset(badOneHot, fileDims: [6, 3]),
            ["notes"] = new H5Dataset("hello"),
        }.Write(path);

        var summary = Hdf5Inspector.Inspect(path, CancellationToken.None);

        var train = summary.Datasets.Single(d => d.Path == "x_train");
        Assert.Equal(("chunked", "float32", "NCHW"), (train.Layout, train.DType, train.Images!.Layout));
        Assert.Equal([2L, 3, 8, 8], train.ChunkShape);
        Assert.Equal(["shuffle", "deflate"], train.Filters);
        Assert.Equal([2L, 2, 1, 1], summary.Datasets.Single(d => d.Path == "y_train").Labels!.CountsPerClass);
        var grey = summary.Datasets.Single(d => d.Path == "grey/val_images").Images!;
        Assert.Equal(("NHW", 1, 9, 9), (grey.Layout, grey.Channels, grey.Height, grey.Width));
        Assert.Contains("-1", summary.Datasets.Single(d => d.Path == "grey/val_labels").Labels!.Problem, StringComparison.Ordinal);
        Assert.Contains("sums to 0", summary.Datasets.Single(d => d.Path == "test_labels").Labels!.Problem, StringComparison.Ordinal);
        Assert.Equal(DatasetRoles.Other, summary.Datasets.Single(d => d.Path == "notes").Role);
        Assert.Equal(["train", "validation", "test"], summary.SuggestedSplits.Select(s => s.Name));
        Assert.Equal("grey/val_labels", summary.SuggestedSplits[1].Labels);
    }

    [Fact]
    public void Inspect_NotAnHdf5File_ThrowsAProblemNamingTheFile()
    {
        var path = _temp.File("photo.jpg");
        File.WriteAllBytes(path, TestFiles.Bytes(4096, 1));

        var problem = Assert.Throws<DatasetProblemException>(() => Hdf5Inspector.Inspect(path, CancellationToken.None));

        Assert.Equal(path, problem.File);
        Assert.Contains("not an HDF5 file", problem.Problem, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
