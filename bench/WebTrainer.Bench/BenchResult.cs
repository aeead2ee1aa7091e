namespace WebTrainer.Bench;

/// <summary>One configuration's measurement, as a child process reports it.</summary>
internal sealed record BenchResult
{
    public string Name { get; init; } = "";
    public string Sampling { get; init; } = "";
    public bool Augment { get; init; }

    /// <summary>The loader delivered uint8 batches as stored; their conversion to float belongs to the training step.</summary>
    public bool StoredBatches { get; init; }
    public int Readers { get; init; }
    public long Images { get; init; }
    public double Seconds { get; init; }
    public double Megabytes { get; init; }
    public double PeakRssMegabytes { get; init; }
    public string ReadPath { get; init; } = "";
    public int Repeats { get; init; } = 1;

    /// <summary>Thread time per image spent reading and collating (decode, augment, normalise), summed over readers.</summary>
    public double ReadMsPerImage { get; init; }
    public double CollateMsPerImage { get; init; }
    public double MegabytesPerSecond => Seconds > 0 ? Megabytes / Seconds : 0;
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;
}
