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
        Console.WriteLine();
        Console.WriteLine("| configuration | sampling | augment | readers | MB/s | images/s | read ms/img | collate ms/img | peak RSS MB |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(($"| {r.Name} | {Dash(r.Sampling)} | {(r.Name == "loader" ? (r.Augment ? "yes" : "no") : "-")} | " +
                $"{(r.Readers > 0 ? r.Readers.ToString(CultureInfo.InvariantCulture) : "-")} | {r.MegabytesPerSecond:F1} | " +
                $"{(r.Images > 0 ? r.ImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture) : "-")} | " +
                $"{(r.Name == "loader" ? r.ReadMsPerImage.ToString("F3", CultureInfo.InvariantCulture) : "-")} | " +
                $"{(r.Name == "loader" ? r.CollateMsPerImage.ToString("F3", CultureInfo.InvariantCulture) : "-")} | {r.PeakRssMegabytes:F0} |"));
        }
        Console.WriteLine();

        var raw = results.Where(r => r.Name.StartsWith("raw read", StringComparison.Ordinal)).MaxBy(r => r.MegabytesPerSecond)!;
        var naive = results.Single(r => r.Name.Contains("PureHDF", StringComparison.Ordinal));
        var naiveRaw = results.Single(r => r.Name.Contains("raw reader", StringComparison.Ordinal));
        BenchResult Best(string mode) => results.Where(r => r.Name == "loader" && r.Sampling == mode && !r.Augment).MaxBy(r => r.MegabytesPerSecond)!;
        var sequential = Best(SamplingModes.Sequential);
        var random = Best(SamplingModes.Random);
        var chunked = Best(SamplingModes.Chunked);
        var loaders = results.Where(r => r.Name == "loader").ToList();
        Ratio($"sequential / {raw.Name}", sequential.MegabytesPerSecond / raw.MegabytesPerSecond, 0.8);
        Ratio("random / naive PureHDF row loop", random.MegabytesPerSecond / naive.MegabytesPerSecond, 20);
        Ratio("random / naive raw-reader row loop", random.MegabytesPerSecond / naiveRaw.MegabytesPerSecond, 20);
        Ratio("chunked / sequential", chunked.MegabytesPerSecond / sequential.MegabytesPerSecond, 0.5);
        var idle = results.Single(r => r.Name.StartsWith("process baseline", StringComparison.Ordinal));
        Console.WriteLine(($"- peak RSS of loader runs: {loaders.Min(r => r.PeakRssMegabytes):F0}–{loaders.Max(r => r.PeakRssMegabytes):F0} MB " +
            $"= baseline {idle.PeakRssMegabytes:F0} MB + at most {loaders.Max(r => r.PeakRssMegabytes) - idle.PeakRssMegabytes:F0} MB, " +
            $"with a {args.Text("budget-mb", "256")} MB budget (+ per reader one raw batch and a ≤ 32 MB chunk cache) on a {info.Length / 1e6:F0} MB file"));
    }

    private static void Ratio(string name, double value, double target) =>
        Console.WriteLine(($"- {name}: {value:F2} (target ≥ {target:0.##}) {(value >= target ? "met" : "NOT met")}"));

    private static string Dash(string text) => string.IsNullOrEmpty(text) ? "-" : text;
}
