namespace WebTrainer.Shared.Datasets;

/// <summary>
/// The files an optimise job writes beside its output, by name only: the Worker writes them and
/// the Web refuses an output whose partial file is still there.
/// </summary>
public static class OptimizePaths
{
    public static string Partial(string output) => output + ".partial";

    public static string Journal(string output) => output + ".partial.json";

    /// <summary>Deflated output: where each compressed chunk went, one record per chunk, until the index is written.</summary>
    public static string ChunkLog(string output) => output + ".partial.chunks";

    /// <summary>How an optimise job lays its output out, for people: "chunked, deflate 4".</summary>
    public static string Describe(Jobs.OptimizeSpec spec) =>
        spec.Layout + (spec.DeflateLevel is { } level ? FormattableString.Invariant($", deflate {level}") : ", uncompressed");
}
