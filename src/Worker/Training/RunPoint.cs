using System.Globalization;

namespace WebTrainer.Worker.Training;

/// <summary>A run's place: split, epoch, 1-based batch, and a step count that grows with every batch handed out.</summary>
internal readonly record struct RunPoint(string Split, int Epoch, int Batch, long Step)
{
    public static RunPoint None { get; } = new("", 0, 0, 0);

    /// <summary>For sentences: "at epoch 2, batch 14", "validating epoch 2, batch 3", "before its first batch".</summary>
    public string Describe() => Split switch
    {
        "" => "before its first batch",
        RunPosition.TrainSplit => string.Create(CultureInfo.InvariantCulture, $"at epoch {Epoch}, batch {Batch}"),
        RunPosition.ValidationSplit => string.Create(CultureInfo.InvariantCulture, $"validating epoch {Epoch}, batch {Batch}"),
        RunPosition.OptimizePass => string.Create(CultureInfo.InvariantCulture, $"at optimise step {Batch}"),
        RunPosition.StatisticsPass => string.Create(CultureInfo.InvariantCulture, $"computing normalisation statistics, block {Batch}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"on the {Split} split, batch {Batch}"),
    };

    /// <summary>The heartbeat's wire form: <c>split epoch batch step</c>.</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{(Split.Length == 0 ? "-" : Split)} {Epoch} {Batch} {Step}");

    public static RunPoint? Parse(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var batch)
            || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step))
        {
            return null;
        }
        return new RunPoint(parts[0] == "-" ? "" : parts[0], epoch, batch, step);
    }
}
