using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Samples;

namespace WebTrainer.Bench.Training;

/// <summary>The benchmark's datasets, written once into the temp folder with the Worker's own <c>dataset</c> command.</summary>
internal static class BenchData
{
    public static async Task<string> FashionMnistAsync(string? file, CancellationToken cancellationToken)
    {
        file ??= Path.Combine(Path.GetTempPath(), "webtrainer-bench-fashion-mnist.h5");
        if (!File.Exists(file) && await DatasetCommand.RunAsync(["fashion-mnist", "--out", file], cancellationToken) != 0)
        {
            throw new InvalidOperationException("Fashion-MNIST could not be written: install Debian's dataset-fashion-mnist or pass --fashion FILE");
        }
        return file;
    }

    /// <summary>A <c>--data</c> value to a file: <c>fashion-mnist</c> and <c>synthetic64</c> (4000 64×64 RGB images, 10 classes) are written on first use.</summary>
    public static async Task<string> ResolveAsync(string data, CancellationToken cancellationToken) => data switch
    {
        "fashion-mnist" => await FashionMnistAsync(null, cancellationToken),
        "synthetic64" => await SyntheticAsync(count: 4000, size: 64, channels: 3, classes: 10, cancellationToken),
        _ => data,
    };

    public static async Task<string> SyntheticAsync(int count, int size, int channels, int classes, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"webtrainer-bench-synth-{count}-{size}-{channels}-{classes}.h5");
        if (!File.Exists(file))
        {
            await DatasetCommand.RunAsync(["synth", "--out", file, "--count", $"{count}", "--size", $"{size}",
                "--channels", $"{channels}", "--classes", $"{classes}"], cancellationToken);
        }
        return file;
    }

    /// <summary>A spec over the file's train/valid/test splits as our sample files lay them out.</summary>
    public static JobSpec Spec(string file, string architecture, TrainingSpec training) => new()
    {
        Name = "bench",
        Dataset = new DatasetSpec
        {
            File = file,
            Validation = new SplitSpec { Images = "valid_img", Labels = "valid_labels" },
            Test = new SplitSpec { Images = "test_img", Labels = "test_labels" },
        },
        Model = new ModelSpec { Architecture = architecture },
        Training = training,
    };
}
