using System.Diagnostics;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Data;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// The training half of an epoch, from any batch on: a resumed epoch reads only its remaining
/// batches and continues the checkpointed sums, so it ends with the same numbers as one that
/// was never interrupted. Calls <paramref name="checkpoint"/> every <c>CheckpointEveryBatches</c> batches.
/// </summary>
internal sealed class EpochTrainer(TrainingSession session, TrainerSettings settings, IProgressSink sink)
{
    // Across epochs: short epochs must not push batch progress past one report per interval
    // (the dashboard promises at most ~5 per second per job; the epoch's end has its own update).
    private long _lastReport;

    public async Task<EpochMetrics> RunAsync(DataLoader loader, int epoch, EpochPosition start, Action<EpochPosition>? checkpoint,
        CancellationToken cancellationToken)
    {
        session.Freezer.Train();
        var metrics = RunningMetrics.From(session.Classes, start.Sums);
        int every = session.Spec.Training.CheckpointEveryBatches;
        loader.Stats.TakeSnapshot();
        var epochStart = Stopwatch.GetTimestamp();
        double priorMs = start.ElapsedMs, waitMs = start.WaitMs;
        var batches = loader.ReadEpochAsync(epoch, start.NextBatch, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                var waitStart = Stopwatch.GetTimestamp();
                if (!await batches.MoveNextAsync())
                {
                    break;
                }
                waitMs += Stopwatch.GetElapsedTime(waitStart).TotalMilliseconds;
                using var batch = batches.Current;
                TrainStep.Run(session.Model, session.Optimizer, session.Criterion, batch, session.Device, metrics);

                int done = batch.Index + 1;
                bool last = done == loader.BatchesPerEpoch;
                var now = Stopwatch.GetTimestamp();
                double elapsedMs = priorMs + Stopwatch.GetElapsedTime(epochStart, now).TotalMilliseconds;
                if (Stopwatch.GetElapsedTime(_lastReport, now) >= settings.BatchReportInterval)
                {
                    _lastReport = now;
                    sink.Batch(new BatchProgress(epoch, done, loader.BatchesPerEpoch, metrics.Loss, metrics.Accuracy,
                        metrics.Samples / Math.Max(elapsedMs / 1000, 1e-9), DateTimeOffset.UtcNow));
                }
                // The epoch's last batch is covered by the end-of-epoch checkpoint, written after validation.
                if (checkpoint is not null && every > 0 && done % every == 0 && !last)
                {
                    checkpoint(new EpochPosition(done, metrics.Sums, elapsedMs, waitMs));
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await batches.DisposeAsync();
        }

        double totalMs = priorMs + Stopwatch.GetElapsedTime(epochStart).TotalMilliseconds;
        var pipeline = loader.Stats.TakeSnapshot();
        return new EpochMetrics
        {
            Epoch = epoch,
            TrainLoss = metrics.Loss,
            TrainAccuracy = metrics.Accuracy,
            TrainTop5Accuracy = metrics.Top5,
            LearningRate = session.Optimizer.ParamGroups.First().LearningRate,
            SamplesPerSecond = metrics.Samples / Math.Max(totalMs / 1000, 1e-9),
            DataStallPercent = 100.0 * waitMs / Math.Max(totalMs, 1e-9),
            ReadMegabytesPerSecond = pipeline.ReadMs > 0 ? pipeline.BytesRead / 1e6 / (pipeline.ReadMs / 1000) : 0,
            ReadMs = pipeline.ReadMs,
            AugmentMs = pipeline.AugmentMs,
            ElapsedMs = (long)totalMs,
        };
    }
}
