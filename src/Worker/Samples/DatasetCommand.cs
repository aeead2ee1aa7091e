using System.Globalization;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Samples;

/// <summary>
/// <c>dataset synth --out F [--count N] [--size S] [--channels C] [--classes K] [--seed X]</c> and
/// <c>dataset fashion-mnist --out F [--source DIR] [--seed X]</c>: write sample HDF5 files, 70/20/10.
/// </summary>
internal static class DatasetCommand
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (args.Length == 0)
        {
            return Task.FromResult(Usage("a kind is required"));
        }
        var options = ParseOptions(args[1..]);
        if (!options.TryGetValue("out", out var output))
        {
            return Task.FromResult(Usage("--out FILE is required"));
        }
        ulong seed = ulong.Parse(options.GetValueOrDefault("seed", "42"), CultureInfo.InvariantCulture);
        ImageSplit all;
        IReadOnlyList<string> classNames;
        switch (args[0])
        {
            case "synth":
                int classes = int.Parse(options.GetValueOrDefault("classes", "10"), CultureInfo.InvariantCulture);
                all = SyntheticDataset.Generate(
                    int.Parse(options.GetValueOrDefault("count", "6000"), CultureInfo.InvariantCulture),
                    int.Parse(options.GetValueOrDefault("size", "32"), CultureInfo.InvariantCulture),
                    int.Parse(options.GetValueOrDefault("channels", "3"), CultureInfo.InvariantCulture),
                    classes, seed);
                classNames = Enumerable.Range(0, classes).Select(k => $"stripes {180 * k / classes}°").ToList();
                break;
            case "fashion-mnist":
                var source = options.GetValueOrDefault("source", FashionMnist.DebianFolder);
                if (!Directory.Exists(source))
                {
                    Console.Error.WriteLine($"Fashion-MNIST not found in {source}: install Debian's dataset-fashion-mnist package or pass --source DIR");
                    return Task.FromResult(2);
                }
                all = FashionMnist.ReadAll(source);
                classNames = FashionMnist.ClassNames;
                break;
            default:
                return Task.FromResult(Usage($"unknown kind '{args[0]}'"));
        }

        var order = Permutation.Of(all.Count, new SplitMix64(seed));
        int trainCount = (int)Math.Round(all.Count * 0.7), validationCount = (int)Math.Round(all.Count * 0.2);
        var train = all.Take(order.AsSpan(0, trainCount));
        var validation = all.Take(order.AsSpan(trainCount, validationCount));
        var test = all.Take(order.AsSpan(trainCount + validationCount));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        SplitFileWriter.Write(output, classNames, train, validation, test);
        Console.WriteLine($"Wrote {output}: {train.Count} train, {validation.Count} validation, {test.Count} test images " +
            $"{all.Height}x{all.Width}x{all.Channels}, {classNames.Count} classes");
        return Task.FromResult(0);
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        return options;
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"dataset: {problem}");
        Console.Error.WriteLine("usage: dataset synth --out FILE [--count N] [--size S] [--channels C] [--classes K] [--seed X]");
        Console.Error.WriteLine("       dataset fashion-mnist --out FILE [--source DIR] [--seed X]");
        return 2;
    }
}
