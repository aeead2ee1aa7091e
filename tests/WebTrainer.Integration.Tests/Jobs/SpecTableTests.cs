using WebTrainer.Shared.Jobs;
using WebTrainer.Web.Jobs;

namespace WebTrainer.Integration.Tests.Jobs;

public sealed class SpecTableTests
{
    [Fact]
    public void Flatten_NamesEveryValueByItsJsonPath()
    {
        var spec = new JobSpec
        {
            Name = "run",
            Dataset = new DatasetSpec { File = "food.h5" },
            Training = new TrainingSpec { LearningRate = 0.01, ClassWeights = [1, 2.5] },
        };

        var rows = SpecTable.Flatten(spec);

        Assert.Equal("food.h5", rows["dataset.file"]);
        Assert.Equal("train_img", rows["dataset.train.images"]);
        Assert.Equal("0.01", rows["training.learningRate"]);
        Assert.Equal("1, 2.5", rows["training.classWeights"]);
        Assert.Equal("small_cnn", rows["model.architecture"]);
        Assert.False(rows.ContainsKey("dataset.validation"), "null parts of the spec are left out");
    }

    [Fact]
    public void Differing_IsTheSetOfPathsWhoseValuesAreNotAllEqual()
    {
        var a = SpecTable.Flatten(new JobSpec { Name = "a", Training = new TrainingSpec { LearningRate = 0.01 } });
        var b = SpecTable.Flatten(new JobSpec { Name = "b", Training = new TrainingSpec { LearningRate = 0.001, EarlyStopping = new EarlyStoppingSpec() } });

        var differing = SpecTable.Differing([a, b]);

        Assert.Contains("training.learningRate", differing);
        Assert.Contains("name", differing);
        Assert.Contains("training.earlyStopping.patience", differing);
        Assert.DoesNotContain("training.batchSize", differing);
    }
}
