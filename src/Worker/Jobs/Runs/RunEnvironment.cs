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

    public static void Apply(IDictionary<string, string?> environment, int threads)
    {
        foreach (var (name, value) in For(threads))
        {
            environment.TryAdd(name, value);
        }
    }
}
