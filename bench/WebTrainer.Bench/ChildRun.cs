using System.Diagnostics;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using PureHDF;
using PureHDF.Selections;
using TorchSharp;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;

namespace WebTrainer.Bench;

/// <summary>
/// Runs one configuration in its own process, so the peak RSS it reports is that configuration's
/// alone, and prints the result as one JSON line. Each run stops at a time or byte limit.
/// </summary>
internal static class ChildRun
{
    public const string Marker = "RESULT ";

    public static int Run(BenchArgs args)
    {
        var file = args.Text("file");
        var kind = args.Text("kind");
        if (args.Text("cache", "cold") == "cold")
        {
            ProcessProbe.DropFromPageCache(file);
        }
        var limit = new Limit(TimeSpan.FromSeconds(args.Real("seconds", 8)), args.Real("max-mb", 2048));
        var result = kind switch
        {
            "raw" => RawSequential(file, (int)args.Number("streams", 1), limit),
            "idle" => Idle(file, args),
            "naive-purehdf" => NaivePureHdf(file, args.Text("images", "train_img"), limit),
            "naive-raw" => NaiveRaw(file, args, limit),
            _ => Loader(file, args, limit).GetAwaiter().GetResult(),
        };
        result = result with { PeakRssMegabytes = ProcessProbe.PeakRssMegabytes() };
        Console.WriteLine(Marker + JsonSerializer.Serialize(result));
        return 0;
    }

    private sealed record Limit(TimeSpan Time, double Megabytes)
    {
        public bool Reached(Stopwatch watch, double megabytes) => watch.Elapsed >= Time || megabytes >= Megabytes;
    }

    /// <summary>The floor under every loader's RSS: runtime, libtorch and the opened splits (labels in memory), nothing read.</summary>
    private static BenchResult Idle(string file, BenchArgs args)
    {
        var data = Open(file, args);
        using (torch.empty(1))
        {
        }
        return new BenchResult { Name = "process baseline (libtorch loaded, splits open)", ReadPath = data.Train.Images.ReadPath };
    }

    /// <summary>
    /// The physical limit: the file's bytes from the start in 8 MB positioned reads, by one stream or
    /// by several threads taking consecutive blocks (the loader reads in parallel, so its limit is
    /// the faster of the two).
    /// </summary>
    private static BenchResult RawSequential(string file, int streams, Limit limit)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        const int block = 8 * 1024 * 1024;
        long length = RandomAccess.GetLength(handle), next = -block, total = 0;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, streams, new ParallelOptions { MaxDegreeOfParallelism = streams }, _ =>
        {
            var buffer = new byte[block];
            while (!limit.Reached(watch, Interlocked.Read(ref total) / 1e6))
            {
                long offset = Interlocked.Add(ref next, block);
                if (offset >= length)
                {
                    return;
                }
                int read = RandomAccess.Read(handle, buffer, offset);
                Interlocked.Add(ref total, read);
            }
        });
        return new BenchResult { Name = $"raw read, {streams} stream{(streams > 1 ? "s" : "")}", Seconds = watch.Elapsed.TotalSeconds,
            Megabytes = total / 1e6, ReadPath = "file" };
    }

    /// <summary>What a user's loop does with h5py's <c>ds[i]</c>: one shuffled row per PureHDF hyperslab read, one thread.</summary>
    private static BenchResult NaivePureHdf(string file, string images, Limit limit)
    {
        using var h5 = H5File.OpenRead(file);
        var dataset = h5.Dataset(images);
        var shape = dataset.Space.Dimensions;
        var order = Shuffled((long)shape[0]);
        long rowBytes = (long)(shape.Skip(1).Aggregate(1UL, (a, b) => a * b));
        var watch = Stopwatch.StartNew();
        long done = 0;
        foreach (var row in order)
        {
            var blocks = (ulong[])shape.Clone();
            blocks[0] = 1;
            var starts = new ulong[shape.Length];
            starts[0] = (ulong)row;
            _ = dataset.Read<byte[]>(new HyperslabSelection(shape.Length, starts, blocks));
            done++;
            if (limit.Reached(watch, done * rowBytes / 1e6))
            {
                break;
            }
        }
        return new BenchResult { Name = "naive: 1 shuffled row/read, PureHDF", Sampling = "random", Readers = 1, Images = done,
            Seconds = watch.Elapsed.TotalSeconds, Megabytes = done * rowBytes / 1e6, ReadPath = "PureHDF" };
    }

    /// <summary>The same loop on this project's raw reader: isolates what batching, merging and parallel reads add.</summary>
    private static BenchResult NaiveRaw(string file, BenchArgs args, Limit limit)
    {
        var data = Open(file, args);
        var images = data.Train.Images;
        using var reader = images.OpenReader();
        var buffer = new byte[images.RowBytes];
        var watch = Stopwatch.StartNew();
        long done = 0;
        foreach (var row in Shuffled(images.Count))
        {
            reader.ReadRun(row, 1, buffer);
            done++;
            if (limit.Reached(watch, done * images.RowBytes / 1e6))
            {
                break;
            }
        }
        return new BenchResult { Name = "naive: 1 shuffled row/read, raw reader", Sampling = "random", Readers = 1, Images = done,
            Seconds = watch.Elapsed.TotalSeconds, Megabytes = done * images.RowBytes / 1e6, ReadPath = images.ReadPath };
    }

    private static async Task<BenchResult> Loader(string file, BenchArgs args, Limit limit)
    {
        var data = Open(file, args);
        var sampling = args.Text("mode");
        bool augment = args.Text("augment", "0") == "1";
        bool stored = args.Text("batches", "float") == "uint8";
        int readers = (int)args.Number("readers", 2);
        using (torch.empty(1))
        {
            // Load libtorch before the clock starts.
        }
        var images = data.Train.Images;
        var geometry = ImageGeometryInfo.Of(images);
        var spec = new AugmentationSpec { HorizontalFlip = true, RotationRange = 15, ZoomRange = 0.1, WidthShiftRange = 0.1, BrightnessRange = 0.1 };
        var stats = new PipelineStats();
        var collator = new Collator(geometry, 1f / 255, null, null, augment ? new ImageAugmenter(spec, 1) : null, stats, stored);
        var loader = new DataLoader(data.Train, new LoaderOptions
        {
            BatchSize = (int)args.Number("batch", 64),
            Sampling = sampling,
            Seed = 1,
            Readers = readers,
            MemoryBudgetBytes = args.Number("budget-mb", 256) * 1024 * 1024,
            ShuffleWindowBlocks = 8,
        }, collator, stats);
        var watch = Stopwatch.StartNew();
        long done = 0;
        for (int epoch = 1; !limit.Reached(watch, done * images.RowBytes / 1e6); epoch++)
        {
            await foreach (var batch in loader.ReadEpochAsync(epoch, 0, CancellationToken.None))
            {
                done += batch.Size;
                batch.Dispose();
                if (limit.Reached(watch, done * images.RowBytes / 1e6))
                {
                    break;
                }
            }
        }
        var pipeline = stats.TakeSnapshot();
        return new BenchResult { Name = "loader", Sampling = sampling, Augment = augment, StoredBatches = stored, Readers = readers, Images = done,
            Seconds = watch.Elapsed.TotalSeconds, Megabytes = done * images.RowBytes / 1e6, ReadPath = images.ReadPath,
            ReadMsPerImage = pipeline.ReadMs / Math.Max(1, pipeline.Samples), CollateMsPerImage = pipeline.AugmentMs / Math.Max(1, pipeline.Samples) };
    }

    private static TrainingData Open(string file, BenchArgs args) => TrainingData.Open(file, new DatasetSpec
    {
        File = file,
        Train = new SplitSpec { Images = args.Text("images", "train_img"), Labels = args.Text("labels", "train_labels") },
    });

    private static long[] Shuffled(long count)
    {
        var order = new long[count];
        for (long i = 0; i < count; i++)
        {
            order[i] = i;
        }
        new Random(1).Shuffle(order);
        return order;
    }
}
