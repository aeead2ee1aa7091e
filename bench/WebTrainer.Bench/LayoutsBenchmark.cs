using System.Globalization;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Bench;

/// <summary>
/// One sampling mode (random by default) on several files side by side: the same pixels stored in
/// different layouts, e.g. a file with h5py's guessed chunks and its optimised rewrite. Every file's
/// loader run and its raw-read limit (the file's bytes read sequentially, one stream) run in child
/// processes, interleaved file by file and round by round (A B A B), and the median of the rounds
/// counts. Batches are uint8 as stored (float where the pixels are float), so the figures are the
/// read path's, not the CPU's float conversion. The model's predicted bytes per image (what the inspector shows) is printed alongside.
/// </summary>
internal static class LayoutsBenchmark
{
    public static int Run(BenchArgs args)
    {
        var files = args.Text("files").Split(',').Select(Path.GetFullPath).ToArray();
        var mode = args.Text("mode", SamplingModes.Random);
        int repeat = (int)args.Number("repeat", 3);
        var common = new List<string> { "--images", args.Text("images", "train_img"), "--labels", args.Text("labels", "train_labels"),
            "--seconds", args.Text("seconds", "6"), "--max-mb", args.Text("max-mb", "2048"), "--cache", args.Text("cache", "cold"),
            "--batch", args.Text("batch", "64"), "--budget-mb", args.Text("budget-mb", "256") };
        string readers = args.Text("readers", "2");
        var loader = new List<BenchResult>[files.Length];
        var raw = new List<BenchResult>[files.Length];
        for (int f = 0; f < files.Length; f++)
        {
            (loader[f], raw[f]) = ([], []);
        }
        for (int round = 0; round < repeat; round++)
        {
            for (int f = 0; f < files.Length; f++)
            {
                Console.Error.Write($"\rround {round + 1}/{repeat}, file {f + 1}/{files.Length}            ");
                // Stored uint8 batches where the pixels are uint8; float pixels are batches of floats either way.
                var batches = WebTrainer.Worker.Data.Hdf5.ImageDataset.Open(files[f], args.Text("images", "train_img")).PixelType
                    == WebTrainer.Worker.Data.Hdf5.PixelType.UInt8 ? "uint8" : "float";
                loader[f].Add(LoaderBenchmark.RunChild([.. common, "--file", files[f], "--kind", "loader", "--mode", mode, "--augment", "0",
                    "--batches", batches, "--readers", readers]));
                raw[f].Add(LoaderBenchmark.RunChild([.. common, "--file", files[f], "--kind", "raw", "--streams", "1"]));
            }
        }
        Console.Error.WriteLine();
        Console.WriteLine($"{mode} sampling, {readers} readers, batch {args.Text("batch", "64")}, uint8 batches (float where pixels are float), {args.Text("cache", "cold")} page cache, " +
            $"median of {repeat} interleaved rounds; MB = decoded image bytes delivered; raw = the file's own bytes read sequentially, 1 stream");
        Console.WriteLine();
        Console.WriteLine("| file | read path | model: bytes read per image | loader img/s | loader MB/s | raw read MB/s | img/s vs first |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        double first = 0;
        for (int f = 0; f < files.Length; f++)
        {
            var l = LoaderBenchmark.Median(loader[f]);
            var r = LoaderBenchmark.Median(raw[f]);
            first = f == 0 ? l.ImagesPerSecond : first;
            var cost = ReadCostModel.Estimate(files[f], args.Text("images", "train_img"), (int)args.Number("batch", 64), int.Parse(readers, CultureInfo.InvariantCulture));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Path.GetFileName(files[f])} | {l.ReadPath} | {cost.Of(mode).Ratio:0.##}× | {l.ImagesPerSecond:F0} | {l.MegabytesPerSecond:F0} | " +
                $"{r.MegabytesPerSecond:F0} | {(first > 0 ? l.ImagesPerSecond / first : 0):F2} |"));
        }
        return 0;
    }
}
