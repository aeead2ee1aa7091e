using WebTrainer.Testing;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

/// <summary>Labels read a few values at a time must be the labels read in one block, on every read path.</summary>
public sealed class LabelBlocksTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData("train_labels", 1)]
    [InlineData("train_labels", 7)]
    [InlineData("valid_labels", 3)]
    public void Read_InSmallBlocks_GivesTheSameClassesAsOneBlock(string dataset, int blockValues)
    {
        var path = BadChunksFile.Write(_temp.File("labels.h5"), trainCount: 60);

        var whole = LabelDataset.Read(path, dataset);
        var blocks = LabelDataset.Read(path, dataset, blockValues: blockValues);

        Assert.Equal(whole.Classes, blocks.Classes);
        Assert.Equal(whole.ClassCount, blocks.ClassCount);
        Assert.Equal(whole.OneHot, blocks.OneHot);
    }

    [Theory]
    [InlineData("bigendian", "train_labels_u2")]
    [InlineData("lzf", "train_labels")]
    public void Read_OnTheRawPathInSmallBlocks_GivesTheSameClassesAsOneBlock(string layout, string dataset)
    {
        var file = H5pyLayoutTests.Fixture(layout);

        Assert.Equal(LabelDataset.Read(file, dataset).Classes, LabelDataset.Read(file, dataset, blockValues: 5).Classes);
    }

    [Fact]
    public void CountPerClass_MatchesTheClassesRead_AndChecksTheSameWay()
    {
        var path = BadChunksFile.Write(_temp.File("labels.h5"), trainCount: 60);
        var classes = LabelDataset.Read(path, "train_labels").Classes;

        var counts = LabelDataset.CountPerClass(path, "train_labels", blockValues: 9);

        Assert.Equal(Enumerable.Range(0, counts.Length).Select(c => (long)classes.Count(x => x == c)), counts);
        var bad = _temp.File("bad.h5");
        Hdf5Fixtures.Write(bad, f => f["labels"] = Hdf5Fixtures.OneHot(10, 3, rowValue: 0.5f));
        Assert.Throws<DatasetProblemException>(() => LabelDataset.CountPerClass(bad, "labels", blockValues: 4));
    }

    [Fact]
    public void Read_ALabelBeyondTheClassLimit_IsRefusedBeforeAnyCountIsSizedByIt()
    {
        var path = _temp.File("big_label.h5");
        Hdf5Fixtures.Write(path, f => f["labels"] = Hdf5Fixtures.IntegerLabels(0, 1, int.MaxValue - 1));

        var problem = Assert.Throws<DatasetProblemException>(() => LabelDataset.CountPerClass(path, "labels"));

        Assert.Contains("MaxClassCount", problem.Problem, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
