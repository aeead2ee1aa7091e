using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Samples;
using WebTrainer.Worker.Training;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Tests.Training;

/// <summary>Small synthetic datasets and specs that train in a second or two on 2 cores.</summary>
internal static class TrainingFixture
{
    public static async Task<string> SynthAsync(TempDirectory temp, int count = 600, int size = 12, int classes = 6, int channels = 3)
    {
        TorchRuntime.Configure(2);
        var file = temp.File($"synth-{count}-{size}-{classes}-{channels}.h5");
        if (!File.Exists(file))
        {
            Assert.Equal(0, await DatasetCommand.RunAsync(
                ["synth", "--out", file, "--count", $"{count}", "--size", $"{size}", "--classes", $"{classes}", "--channels", $"{channels}"],
                CancellationToken.None));
        }
        return file;
    }

    public static JobSpec Spec(string file, TrainingSpec training, ModelSpec? model = null) => new()
    {
        Name = "test",
        Dataset = new DatasetSpec
        {
            File = file,
            Validation = new SplitSpec { Images = "valid_img", Labels = "valid_labels" },
            Test = new SplitSpec { Images = "test_img", Labels = "test_labels" },
        },
        Model = model ?? new ModelSpec(),
        Training = training,
    };

    /// <summary>A run directory that does not exist yet: the trainer creates it, as it does for a job's first start.</summary>
    public static string RunDirectory(TempDirectory temp, string name) => temp.File(name);
}
