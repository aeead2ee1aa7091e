using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharp;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Bench.Training;

/// <summary>
/// <c>fit</c>: one real training run from the console, e.g. the small CNN on Fashion-MNIST for 5
/// epochs (<c>--data fashion-mnist</c> writes it from Debian's package first, <c>--data synthetic64</c> a synthetic file). Prints each epoch,
/// the test accuracy and the wall time. With <c>--run-dir</c> it checkpoints, resumes and saves the model.
/// The last line, <c>RESULT {json}</c>, is what <c>compare</c> reads (<see cref="FitResult"/>).
/// </summary>
internal static class FitCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new BenchOptions(args);
        var data = options.Text("data");
        if (data is null)
        {
            Console.Error.WriteLine("fit: --data FILE (or --data fashion-mnist|synthetic64) is required");
            return 2;
        }
        var device = options.Text("device", Devices.Cpu);
        if (!Devices.All.Contains(device))
        {
            Console.Error.WriteLine($"fit: --device must be one of {string.Join(", ", Devices.All)}, not '{device}'");
            return 2;
        }
        var file = await BenchData.ResolveAsync(data, cancellationToken);
        if (device == Devices.Cuda)
        {
            try
            {
                // Loads libtorch_cuda first, and on failure says why (TorchSharp's load trace), where the run would only say "no CUDA device".
                torch.InitializeDeviceType(DeviceType.CUDA);
            }
            catch (Exception error) when (error is InvalidOperationException or NotSupportedException or DllNotFoundException)
            {
                Console.Error.WriteLine($"fit: --device cuda, but CUDA did not initialise: {error.Message}");
                return 3;
            }
        }
        TorchRuntime.Configure(options.Int("threads", 2));
        var spec = BenchData.Spec(file, options.Text("arch", Architectures.SmallCnn), new TrainingSpec
        {
            Epochs = options.Int("epochs", 5),
            BatchSize = options.Int("batch", 64),
            Optimizer = options.Text("optimizer", Optimizers.Adam),
            LearningRate = options.Double("lr", 0.001),
            Seed = options.Int("seed", 42),
            Device = device,
        });
        var augment = options.Text("augment", "off");
        if (augment != "off")
        {
            if (!AugmentationDevices.All.Contains(augment))
            {
                Console.Error.WriteLine($"fit: --augment must be off or one of {string.Join(", ", AugmentationDevices.All)}, not '{augment}'");
                return 2;
            }
            // The augment bench's transforms: rotation, zoom, shear, shifts, flips, brightness and contrast.
            spec = spec with { Augmentation = AugmentBenchmark.Augmentation with { Device = augment } };
        }
        var sink = new ConsoleSink();
        int maxSamples = options.Int("max-samples", 0);
        var training = TrainingData.Open(file, spec.Dataset, maxSamples);
        // The Worker's defaults, as a run process gets them.
        var settings = new TrainerSettings { Device = device, RunDirectory = options.Text("run-dir"), Readers = options.Int("readers", 2) };
        var wall = Stopwatch.StartNew();
        Task<TestResults?> Train() => new Trainer(settings, sink).RunAsync(spec, training, cancellationToken);
        var test = options.Text("training-thread", "dedicated") == "pool" ? await Train() : await TrainingThread.RunAsync(Train);
        wall.Stop();

        var epochs = sink.Epochs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{spec.Model.Architecture} on {Path.GetFileName(file)}: test accuracy {test?.Accuracy:P2} (loss {test?.Loss:F4}, top-5 {test?.Top5Accuracy:P2}) " +
            $"after {epochs.Count} epochs; wall {wall.Elapsed.TotalSeconds:F1} s; train {epochs.Average(e => e.SamplesPerSecond):F0} img/s on average, " +
            $"data stall {epochs.Average(e => e.DataStallPercent):F1} % on average"));
        if (test is not null)
        {
            Console.WriteLine("per-class accuracy: " + string.Join(", ",
                test.Classes.Zip(test.PerClassAccuracy, (name, accuracy) => string.Create(CultureInfo.InvariantCulture, $"{name} {accuracy:P1}"))));
        }
        Console.WriteLine(FitResult.Marker + JsonSerializer.Serialize(FitResult.Of(spec.Model.Architecture, epochs, test, wall.Elapsed), FitResult.Json));
        return 0;
    }
}
