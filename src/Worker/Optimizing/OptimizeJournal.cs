using WebTrainer.Shared.Json;
using WebTrainer.Worker.Training.Checkpoints;

namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// How far an optimise run got, written beside its partial output after every step (the data is
/// flushed to disk first), so a killed run resumes from the rows it wrote. It belongs to one input
/// file as it was and one request: anything else and the partial output is rebuilt.
/// </summary>
internal sealed record OptimizeJournal
{
    public required long JobId { get; init; }

    /// <summary>Input path, length and modification time, and the requested layout.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Rows written so far per image dataset.</summary>
    public Dictionary<string, long> RowsDone { get; init; } = [];

    public long Steps { get; set; }

    /// <summary>Deflated output: where the next compressed chunk goes (the end of the partial file).</summary>
    public long End { get; set; }

    /// <summary>Every row is written and flushed: all that is left is the rename to the final name.</summary>
    public bool Complete { get; set; }

    public static string FingerprintOf(string input, string layout, int? deflateLevel)
    {
        var info = new FileInfo(input);
        return FormattableString.Invariant($"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|{layout}|{deflateLevel}");
    }

    public static OptimizeJournal? Load(string path)
    {
        try
        {
            return File.Exists(path) ? ContractJson.Deserialize<OptimizeJournal>(File.ReadAllText(path)) : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException)
        {
            return null;
        }
    }

    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(ContractJson.Serialize(this));
    });
}
