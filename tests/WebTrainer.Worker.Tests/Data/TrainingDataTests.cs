using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Tests.Data;

public sealed class TrainingDataTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void FractionSplit_IsReproducible_Disjoint_AndCoversEveryRow()
    {
        var fractions = new SplitFractions { Train = 0.7, Validation = 0.2, Test = 0.1, Seed = 3 };

        var (train, validation, test) = TrainingData.Split(101, fractions, "f.h5");
        var again = TrainingData.Split(101, fractions, "f.h5");
        var other = TrainingData.Split(101, fractions with { Seed = 4 }, "f.h5");

        Assert.Equal((71, 20, 10), (train.Length, validation.Length, test.Length));
        Assert.Equal(Enumerable.Range(0, 101).Select(i => (long)i), train.Concat(validation).Concat(test).Order());
        Assert.Equal(train, again.Train);
        Assert.Equal(validation, again.Validation);
        Assert.Equal(test, again.Test);
        Assert.NotEqual(train, other.Train);
        Assert.True(train.SequenceEqual(train.Order()), "rows stay sorted so reads stay sequential");
    }

    [Fact]
    public void Open_WithFractions_SplitsOnePair()
    {
        var path = TestFiles.Split(_temp.File("one.h5"), 50);
        var spec = new DatasetSpec { File = path, SplitFractions = new SplitFractions { Train = 0.6, Validation = 0.2, Test = 0.2 } };

        var data = TrainingData.Open(path, spec);

        Assert.Equal((30, 10, 10), (data.Train.Count, data.Validation!.Count, data.Test!.Count));
        Assert.Equal(5, data.ClassCount);
    }

    [Fact]
    public void Open_WithSplitPairs_OpensEachPair()
    {
        var path = _temp.File("pairs.h5");
        var file = new PureHDF.H5File
        {
            ["train_img"] = TestFiles.Images(TestFiles.Bytes(20 * 8 * 8 * 3, 1), [20, 8, 8, 3]),
            ["train_labels"] = TestFiles.Integers(20, 4),
            ["val_img"] = TestFiles.Images(TestFiles.Bytes(6 * 8 * 8 * 3, 2), [6, 8, 8, 3]),
            ["val_labels"] = TestFiles.Integers(6, 4),
        };
        file.Write(path);
        var spec = new DatasetSpec { File = path, Validation = new SplitSpec { Images = "val_img", Labels = "val_labels" } };

        var data = TrainingData.Open(path, spec);

        Assert.Equal((20, 6), (data.Train.Count, data.Validation!.Count));
        Assert.Null(data.Test);
    }

    [Fact]
    public void Open_WithBadFractions_NamesTheProblem()
    {
        var path = TestFiles.Split(_temp.File("bad.h5"), 10);
        var spec = new DatasetSpec { File = path, SplitFractions = new SplitFractions { Train = 0.9, Validation = 0.2, Test = 0.1 } };

        var problem = Assert.Throws<DatasetProblemException>(() => TrainingData.Open(path, spec));

        Assert.Contains("sum to 1", problem.Problem, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
