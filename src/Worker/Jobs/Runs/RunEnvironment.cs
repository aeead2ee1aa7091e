using System.Globalization;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>
/// The environment a run process starts with, beyond the Worker's own. These settings must be in
/// place before libtorch (and its OpenMP runtime) loads, so they cannot be made in code inside the
/// run process. A value the Worker's own environment already sets is left alone, so an operator
/// can override any of them. <c>bench compare</c> starts its WebTrainer runs with the same.
/// </summary>
internal static class RunEnvironment
{
    /// <summary>The variables and values a run process gets for <paramref name="threads"/> libtorch threads.</summary>
    public static IReadOnlyList<(string Name, string Value)> For(int threads) =>
    [
        // OpenMP sizes its pool when libtorch loads, before any setting in code can apply.
        ("OMP_NUM_THREADS", threads.ToString(CultureInfo.InvariantCulture)),
        // libgomp's waiting threads otherwise spin at every barrier: on 2 cores shared with the reader
        // threads (and other processes) a spinning thread holds the core that the thread it waits for
        // needs. Measured in bench/README.md ("Where a run loses time").
        ("OMP_WAIT_POLICY", "PASSIVE"),
    ];

    /// <summary>
    /// glibc's malloc settings for a run process (<c>GLIBC_TUNABLES</c>, read when the process starts).
    /// By default glibc hands freed memory back to the kernel — it trims a heap's free top beyond 128 KB,
    /// deletes a thread's heap once it is empty, and maps large blocks afresh — and a training step frees
    /// and allocates the same activation buffers every batch, so each step page-faulted them in again:
    /// 1–2 million minor faults an epoch, a third of the CPU time in the kernel, and epochs that switched
    /// between about 1200 and 3400 img/s on an AMD EPYC (bench/README.md, "Page faults"). Keeping up to
    /// 64 MB of padding per heap, trimming only beyond 1 GB and mapping only blocks over 32 MB (glibc's
    /// largest threshold) makes a step reuse the memory it freed: about 20 000 faults an epoch (from millions), the same
    /// peak resident memory. Blocks over 32 MB — the activations of a batch of larger images, e.g. 128 × 32 × 64 × 64
    /// floats — are still mapped afresh on every allocation; <c>hugetlb=1</c> has malloc ask for transparent huge pages
    /// (<c>madvise</c>), so each such block faults in 2 MB pages rather than 4 KB ones: the small CNN on 64×64 images
    /// went from 3.5–4.4 million faults and about 100 img/s an epoch to 55–59 thousand and 440–500 img/s, at lower
    /// peak memory; Fashion-MNIST (28×28, blocks under 32 MB) within noise (bench/README.md, "Huge pages, adopted").
    /// A kernel with huge pages off ignores the request.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> MallocTunables { get; } =
    [
        ("glibc.malloc.mmap_threshold", "33554432"),
        ("glibc.malloc.trim_threshold", "1073741824"),
        ("glibc.malloc.top_pad", "67108864"),
        ("glibc.malloc.hugetlb", "1"),
    ];

    public const string TunablesVariable = "GLIBC_TUNABLES";

    public static void Apply(IDictionary<string, string?> environment, int threads)
    {
        foreach (var (name, value) in For(threads))
        {
            environment.TryAdd(name, value);
        }
        environment[TunablesVariable] = WithTunables(environment.TryGetValue(TunablesVariable, out var set) ? set : null);
    }

    /// <summary>
    /// <paramref name="tunables"/> (<c>name=value:name=value</c>, as an operator set them) with each of
    /// <see cref="MallocTunables"/> that it does not name added.
    /// </summary>
    public static string WithTunables(string? tunables)
    {
        var parts = (tunables ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var named = parts.Select(part => part.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
        parts.AddRange(MallocTunables.Where(tunable => !named.Contains(tunable.Name)).Select(tunable => $"{tunable.Name}={tunable.Value}"));
        return string.Join(':', parts);
    }
}
