using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Training.Checkpoints;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Training.TensorBoard;

/// <summary>
/// The run's TensorBoard scalars in one event file under <c>{run}/tensorboard/</c>: per batch interval
/// (<c>batch/*</c>, step = batches trained since the run began) and per epoch (<c>epoch/*</c>, step =
/// epoch). A resumed run first rewrites the file without what came after its checkpoint (batches past
/// it, epochs not finished in it), so a step is neither doubled nor lost however often the run restarts.
/// </summary>
internal sealed class TensorBoardLog : IDisposable
{
    public const string FolderName = "tensorboard";
    public const string BatchPrefix = "batch/";
    public const string EpochPrefix = "epoch/";

    private readonly FileStream _stream;

    private TensorBoardLog(FileStream stream) => _stream = stream;

    public static string FolderOf(RunDirectory run) => run.TensorBoard;

    /// <summary>
    /// Opens the run's event file, keeping epochs before <paramref name="epoch"/> and batch steps up to
    /// <paramref name="batchStep"/> (the checkpoint's position; 1 and 0 for a fresh start).
    /// </summary>
    public static TensorBoardLog Open(RunDirectory run, int epoch, long batchStep)
    {
        var folder = FolderOf(run);
        Directory.CreateDirectory(folder);
        var existing = Directory.GetFiles(folder, "events.out.tfevents.*").Where(f => !f.EndsWith(".partial", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var path = existing.Count > 0 ? existing[0]
            : Path.Combine(folder, $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.webtrainer");
        var kept = existing.Count > 0 ? Keep(ReadAll(path), epoch, batchStep).ToList() : [];
        if (kept.Count == 0 || kept[0].FileVersion is null)
        {
            kept.Insert(0, ScalarEvent.VersionEvent(Now()));
        }
        AtomicFile.Write(path, stream =>
        {
            foreach (var record in kept)
            {
                EventRecords.Write(stream, record.Encode());
            }
        });
        foreach (var extra in existing.Skip(1))
        {
            File.Delete(extra);
        }
        return new TensorBoardLog(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    /// <summary>The events of a file, up to its first damaged record.</summary>
    public static List<ScalarEvent> ReadAll(string path)
    {
        using var stream = File.OpenRead(path);
        return EventRecords.Read(stream).Select(data => ScalarEvent.Decode(data)).TakeWhile(e => e is not null).Select(e => e!).ToList();
    }

    public void Batch(long step, double loss, double accuracy, double learningRate)
    {
        double now = Now();
        Write(new ScalarEvent(now, step, BatchPrefix + "loss", (float)loss));
        Write(new ScalarEvent(now, step, BatchPrefix + "accuracy", (float)accuracy));
        Write(new ScalarEvent(now, step, BatchPrefix + "learning_rate", (float)learningRate));
        _stream.Flush();
    }

    public void Epoch(EpochMetrics metrics)
    {
        double now = Now();
        void Scalar(string name, double? value)
        {
            if (value is { } number)
            {
                Write(new ScalarEvent(now, metrics.Epoch, EpochPrefix + name, (float)number));
            }
        }
        Scalar("train_loss", metrics.TrainLoss);
        Scalar("train_accuracy", metrics.TrainAccuracy);
        Scalar("train_top5_accuracy", metrics.TrainTop5Accuracy);
        Scalar("val_loss", metrics.ValidationLoss);
        Scalar("val_accuracy", metrics.ValidationAccuracy);
        Scalar("val_top5_accuracy", metrics.ValidationTop5Accuracy);
        Scalar("learning_rate", metrics.LearningRate);
        Scalar("images_per_second", metrics.SamplesPerSecond);
        Scalar("data_stall_percent", metrics.DataStallPercent);
        _stream.Flush();
    }

    public void Dispose() => _stream.Dispose();

    private static IEnumerable<ScalarEvent> Keep(IEnumerable<ScalarEvent> events, int epoch, long batchStep) => events.Where(e =>
        e.Tag is null
        || (e.Tag.StartsWith(EpochPrefix, StringComparison.Ordinal) && e.Step < epoch)
        || (e.Tag.StartsWith(BatchPrefix, StringComparison.Ordinal) && e.Step <= batchStep));

    private void Write(ScalarEvent scalar) => EventRecords.Write(_stream, scalar.Encode());

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
