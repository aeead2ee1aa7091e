using System.Globalization;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Bench;

/// <summary>The one table a benchmark run prints, and the ratios against the pipeline's targets (invariant culture, set in Program).</summary>
internal static class ResultTable
{
    public static void Print(string file, BenchArgs args, IReadOnlyList<BenchResult> results)
    {
        var info = new FileInfo(file);
        var path = results.FirstOrDefault(r => r.Name == "loader")?.ReadPath ?? "?";
        var cache = args.Text("cache", "cold");
        Console.WriteLine(($"file: {info.Name}, {info.Length / 1e9:F2} GB; read path: {path}"));
        Console.WriteLine(($"page cache: {(cache == "cold" ? "cold in this VM — posix_fadvise(DONTNEED) drops the file from the guest page cache before every configuration " +
            "(the hypervisor may still cache the virtual disk)" : "warm — not dropped")}; " +
            $"{Environment.ProcessorCount} cores; batch {args.Text("batch", "64")}; memory budget {args.Text("budget-mb", "256")} MB; " +
            $"each configuration ≤ {args.Text("seconds", "8")} s or ≤ {args.Text("max-mb", "2048")} MB, in its own process, " +
            $"median of {results.Max(r => r.Repeats)} interleaved runs (peak RSS: the highest)"));
        Console.WriteLine("MB are uncompressed image bytes delivered (row bytes × images, before conversion to float; raw read: the file's bytes); " +
            "ms/img are thread time per image summed over readers.");
        Console.WriteLine("batches: float32 = decoded to float32 N,C,H,W (and augmented) on the CPU by the reader threads, ready for the model; " +
            "uint8 = the stored bytes (N,H,W,C) read straight into the batch tensor, NOT yet converted: the conversion to float32 N,C,H,W, " +
            "rescale and normalisation then happen in the training step, on the training device, and are not in this table (see `train`).");
        Console.WriteLine();
        Console.WriteLine("| configuration | batches | sampling | augment | readers | MB/s | images/s | read ms/img | collate ms/img | peak RSS MB |");
        Console.WriteLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            bool loader = r.Name == "loader";
            Console.WriteLine(($"| {r.Name} | {(loader ? (r.StoredBatches ? "uint8" : "float32") : "-")} | {Dash(r.Sampling)} | " +
                $"{(loader ? (r.Augment ? "yes" : "no") : "-")} | " +
                $"{(r.Readers > 0 ? r.Readers.ToString(CultureInfo.InvariantCulture) : "-")} | {r.MegabytesPerSecond:F1} | " +
                $"{(r.Images > 0 ? r.ImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture) : "-")} | " +
                $"{(loader ? r.ReadMsPerImage.ToString("F3", CultureInfo.InvariantCulture) : "-")} | " +
                $"{(loader ? r.CollateMsPerImage.ToString("F3", CultureInfo.InvariantCulture) : "-")} | {r.PeakRssMegabytes:F0} |"));
        }
        Console.WriteLine();

        var raw = results.Where(r => r.Name.StartsWith("raw read", StringComparison.Ordinal)).MaxBy(r => r.MegabytesPerSecond)!;
        // Absent for filters PureHDF cannot decode (lzf, lz4, zstd): there is no PureHDF baseline then.
        var naive = results.SingleOrDefault(r => r.Name.Contains("PureHDF", StringComparison.Ordinal));
        var naiveRaw = results.Single(r => r.Name.Contains("raw reader", StringComparison.Ordinal));
        foreach (var stored in new[] { false, true })
        {
            var loaders = results.Where(r => r.Name == "loader" && r.StoredBatches == stored && !r.Augment).ToList();
            if (loaders.Count == 0)
            {
                continue;
            }
            BenchResult Best(string mode) => loaders.Where(r => r.Sampling == mode).MaxBy(r => r.MegabytesPerSecond)!;
            var sequential = Best(SamplingModes.Sequential);
            var random = Best(SamplingModes.Random);
            var chunked = Best(SamplingModes.Chunked);
            var batches = stored ? "uint8 batches" : "float32 batches";
            Ratio($"{batches}: sequential / {raw.Name}", sequential.MegabytesPerSecond / raw.MegabytesPerSecond, 0.8);
            if (naive is not null)
            {
                Ratio($"{batches}: random / naive PureHDF row loop", random.MegabytesPerSecond / naive.MegabytesPerSecond, 20);
            }
            Ratio($"{batches}: random / naive raw-reader row loop", random.MegabytesPerSecond / naiveRaw.MegabytesPerSecond, 20);
            Ratio($"{batches}: chunked / sequential", chunked.MegabytesPerSecond / sequential.MegabytesPerSecond, 0.5);
        }
        var idle = results.Single(r => r.Name.StartsWith("process baseline", StringComparison.Ordinal));
        foreach (var stored in new[] { false, true })
        {
            var loaders = results.Where(r => r.Name == "loader" && r.StoredBatches == stored).ToList();
            if (loaders.Count == 0)
            {
                continue;
            }
            Console.WriteLine(($"- peak RSS of {(stored ? "uint8" : "float32")} loader runs: {loaders.Min(r => r.PeakRssMegabytes):F0}–{loaders.Max(r => r.PeakRssMegabytes):F0} MB " +
                $"= baseline {idle.PeakRssMegabytes:F0} MB + at most {loaders.Max(r => r.PeakRssMegabytes) - idle.PeakRssMegabytes:F0} MB, " +
                $"with a {args.Text("budget-mb", "256")} MB budget (+ per reader a ≤ 32 MB chunk cache{(stored ? "" : " and one raw batch")}) " +
                $"on a {info.Length / 1e6:F0} MB file"));
        }
    }

    private static void Ratio(string name, double value, double target) =>
        Console.WriteLine(($"- {name}: {value:F2} (target ≥ {target:0.##}) {(value >= target ? "met" : "NOT met")}"));

    private static string Dash(string text) => string.IsNullOrEmpty(text) ? "-" : text;
}
