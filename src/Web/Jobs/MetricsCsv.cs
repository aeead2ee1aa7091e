using System.Globalization;
using System.Text;
using WebTrainer.Shared.Metrics;

namespace WebTrainer.Web.Jobs;

/// <summary>A job's epochs as CSV, one row per epoch (Keras's CSVLogger columns and more); invariant culture, empty cells where a split had no value.</summary>
internal static class MetricsCsv
{
    public const string Header =
        "epoch,train_loss,train_accuracy,train_top5_accuracy,val_loss,val_accuracy,val_top5_accuracy,learning_rate," +
        "images_per_second,data_stall_percent,read_mb_per_second,elapsed_ms";

    public static string Write(IEnumerable<EpochMetrics> epochs)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var e in epochs.OrderBy(e => e.Epoch))
        {
            csv.AppendJoin(',',
                e.Epoch.ToString(CultureInfo.InvariantCulture), Number(e.TrainLoss), Number(e.TrainAccuracy), Number(e.TrainTop5Accuracy),
                Number(e.ValidationLoss), Number(e.ValidationAccuracy), Number(e.ValidationTop5Accuracy), Number(e.LearningRate),
                Number(e.SamplesPerSecond), Number(e.DataStallPercent), Number(e.ReadMegabytesPerSecond),
                e.ElapsedMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return csv.ToString();
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
