using Plotly.Blazor;
using Plotly.Blazor.Traces;
using WebTrainer.Shared.Metrics;
using WebTrainer.Web.Components.Charts;
using PlotLayout = Plotly.Blazor.Layout;

namespace WebTrainer.Web.Components.Jobs;

/// <summary>
/// The job page's charts: their traces filled from history, then extended point by point as
/// updates arrive. The x axis is in epochs throughout, so a batch of epoch 3 at 40 % sits at 2.4
/// and per-batch curves line up with the per-epoch points at 1, 2, 3, …
/// </summary>
internal sealed class JobCharts
{
    /// <summary>TensorBoard's default smoothing: recent batches count, single noisy ones do not dominate.</summary>
    public const double SmoothingWeight = 0.6;

    /// <summary>Batch points drawn from history at most; longer runs are thinned evenly.</summary>
    public const int MaxHistoryBatchPoints = 3000;

    // Trace order within the loss and accuracy charts.
    private const int BatchRaw = 0, BatchSmoothed = 1, EpochTrain = 2, EpochValidation = 3;

    private readonly Ema _loss = new(SmoothingWeight);
    private readonly Ema _accuracy = new(SmoothingWeight);
    private (int Epoch, int Batch) _lastBatch;

    public JobCharts()
    {
        Loss = Chart("chart-loss", ChartStyle.Layout("Loss", "epoch", "loss"), LossTraces());
        Accuracy = Chart("chart-accuracy", ChartStyle.Layout("Accuracy", "epoch", "accuracy", percent: true), LossTraces());
        LearningRate = Chart("chart-lr", ChartStyle.Layout("Learning rate", "epoch", "learning rate", fromZero: true),
            [ChartStyle.Line("learning rate", ChartStyle.Train, markers: true)]);
        Throughput = Chart("chart-throughput", ChartStyle.Layout("Throughput", "epoch", "images/s"),
            [ChartStyle.Line("batches", ChartStyle.Batch, width: 1), ChartStyle.Line("epoch", ChartStyle.Train, markers: true)]);
        Pipeline = Chart("chart-pipeline", ChartStyle.Layout("Data pipeline", "epoch", "data stall %", y2Title: "read MB/s"),
            [ChartStyle.Line("data stall %", ChartStyle.Validation, markers: true), ChartStyle.Line("read MB/s", ChartStyle.Train, markers: true, dashed: true, secondAxis: true)]);
    }

    public LiveChart Loss { get; }
    public LiveChart Accuracy { get; }
    public LiveChart LearningRate { get; }
    public LiveChart Throughput { get; }
    public LiveChart Pipeline { get; }

    public IEnumerable<LiveChart> All => [Loss, Accuracy, LearningRate, Throughput, Pipeline];

    /// <summary>Fills the traces from history, before the charts are first drawn.</summary>
    public void Load(IReadOnlyList<EpochMetrics> epochs, IReadOnlyList<BatchProgress> batches)
    {
        int stride = Math.Max(1, (int)Math.Ceiling(batches.Count / (double)MaxHistoryBatchPoints));
        for (int i = 0; i < batches.Count; i++)
        {
            // Smoothing sees every batch; only the drawing is thinned.
            AddBatch(batches[i], draw: i % stride == 0 || i == batches.Count - 1);
        }
        foreach (var epoch in epochs)
        {
            AddEpoch(epoch);
        }
    }

    public void AddBatch(BatchProgress batch, bool draw = true)
    {
        if ((batch.Epoch, batch.Batch).CompareTo(_lastBatch) <= 0)
        {
            return; // A resumed run reports some batches again; the curve keeps its first ones.
        }
        _lastBatch = (batch.Epoch, batch.Batch);
        double loss = _loss.Add(batch.Loss), accuracy = _accuracy.Add(batch.Accuracy);
        if (!draw)
        {
            return;
        }
        double x = batch.Epoch - 1 + (double)batch.Batch / Math.Max(1, batch.BatchesPerEpoch);
        Loss.Add(BatchRaw, x, batch.Loss);
        Loss.Add(BatchSmoothed, x, loss);
        Accuracy.Add(BatchRaw, x, batch.Accuracy);
        Accuracy.Add(BatchSmoothed, x, accuracy);
        Throughput.Add(0, x, batch.SamplesPerSecond);
    }

    /// <summary>Adds an epoch the page does not have yet (JobFollower passes on only those: JobProgressMarks).</summary>
    public void AddEpoch(EpochMetrics epoch)
    {
        double x = epoch.Epoch;
        Loss.Add(EpochTrain, x, epoch.TrainLoss);
        Loss.Add(EpochValidation, x, epoch.ValidationLoss);
        Accuracy.Add(EpochTrain, x, epoch.TrainAccuracy);
        Accuracy.Add(EpochValidation, x, epoch.ValidationAccuracy);
        LearningRate.Add(0, x, epoch.LearningRate);
        Throughput.Add(1, x, epoch.SamplesPerSecond);
        Pipeline.Add(0, x, epoch.DataStallPercent);
        Pipeline.Add(1, x, epoch.ReadMegabytesPerSecond);
    }

    private static List<ITrace> LossTraces() =>
    [
        ChartStyle.Line("batch", ChartStyle.Batch, width: 1, opacity: 0.35m),
        ChartStyle.Line("batch (smoothed)", ChartStyle.Batch, width: 2),
        ChartStyle.Line("train", ChartStyle.Train, markers: true),
        ChartStyle.Line("validation", ChartStyle.Validation, markers: true),
    ];

    private static LiveChart Chart(string id, PlotLayout layout, List<ITrace> traces) => new(id, layout, traces);

    /// <summary>Exponential moving average with bias correction, so the first points are not pulled towards zero.</summary>
    private sealed class Ema(double weight)
    {
        private double _value;
        private int _count;

        public double Add(double x)
        {
            if (!double.IsFinite(x))
            {
                return x;
            }
            _count++;
            _value = weight * _value + (1 - weight) * x;
            return _value / (1 - Math.Pow(weight, _count));
        }
    }
}
