using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;

namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// Where an optimise job writes: the output is built under <c>&lt;output&gt;.partial</c> beside its
/// journal <c>&lt;output&gt;.partial.json</c> (and, deflated, its chunk log), and renamed to its
/// final name only when complete.
/// </summary>
internal static class OptimizeFiles
{
    public static string Output(DataRoots roots, OptimizeSpec spec) => roots.ResolveNew(spec.Output, spec.OutputRoot);

    public static string Partial(string output) => OptimizePaths.Partial(output);

    public static string Journal(string output) => OptimizePaths.Journal(output);

    /// <summary>Deflated output: where each compressed chunk went, one record per chunk, until the index is written.</summary>
    public static string ChunkLog(string output) => OptimizePaths.ChunkLog(output);

    /// <summary>
    /// Deletes what an unfinished run of job <paramref name="jobId"/> left; the final file, if any, is
    /// not touched, nor the partial file of another job writing the same output.
    /// </summary>
    public static void Discard(string output, long jobId)
    {
        if (OptimizeJournal.Load(Journal(output)) is { } journal && journal.JobId != jobId)
        {
            return;
        }
        File.Delete(Partial(output));
        File.Delete(ChunkLog(output));
        File.Delete(Journal(output));
    }
}
