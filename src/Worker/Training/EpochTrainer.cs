using System.Diagnostics;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training.TensorBoard;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// The training half of an epoch, from any batch on: a resumed epoch reads only its remaining
/// batches and continues the checkpointed sums, so it ends with the same numbers as one that
/// was never interrupted. Batches add up their gradients in groups of <c>GradientAccumulationSteps</c>
/// and the optimiser steps once per group. Calls <paramref name="checkpoint"/> every
/// <c>CheckpointEveryBatches</c> batches, moved on to the next group boundary when one falls inside a
/// group: a checkpoint never holds half-accumulated gradients, so it does not save any.
/// A loss that is not finite ends the run with <see cref="TrainingDivergedException"/> naming the epoch
/// and batch where it first happened.
/// <para>
/// The loop never waits for the device per batch: the metric sums and the first non-finite batch stay
/// on the device (<see cref="RunningMetrics"/>) and are read only when a report is due, before a
/// checkpoint and at the end of the epoch. So the run may go on for a few batches past a NaN before it
/// stops. That is harmless: the batch named is still the first bad one (the device remembers it), the
/// parameters those batches produce are thrown away with the run, and every checkpoint is preceded by a
/// check, so none is ever written after a NaN batch; the last one on disk is from before it.
/// </para>
/// </summary>
internal sealed class EpochTrainer(TrainingSession session, TrainerSettings settings, IProgressSink sink, TensorBoardLog? board)
{
    // Across epochs: short epochs must not push batch progress past one report per interval
    // (the dashboard promises at most ~5 per second per job; the epoch's end has its own update).
    private long _lastReport;

    public async Task<EpochMetrics> RunAsync(DataLoader loader, int epoch, EpochPosition start, Action<EpochPosition>? checkpoint,
        CancellationToken cancellationToken)
    {
        session.Freezer.Train();
        using var metrics = RunningMetrics.From(session.Classes, start.Sums);
        int every = session.Spec.Training.CheckpointEveryBatches;
        var groups = new GradientAccumulation(session.Spec.Training.GradientAccumulationSteps, session.Spec.Training.BatchSize, loader.Samples);
        if (!groups.AtBoundary(start.NextBatch))
        {
            throw new InvalidOperationException($"The checkpoint stands at batch {start.NextBatch}, inside a group of {groups.Steps} accumulated batches");
        }
        var stepper = new OptimizerStepper(session, groups, settings.OnOptimizerStep);
        int stepsDone = groups.StepsBefore(start.NextBatch);
        bool checkpointDue = false;
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
                if (groups.StartsGroup(batch.Index))
                {
                    session.Optimizer.zero_grad();
                }
                TrainStep.Backward(session.Model, session.Criterion, batch, session.Device, metrics, groups.LossScale(batch.Index));
                var now = Stopwatch.GetTimestamp();
                bool report = Stopwatch.GetElapsedTime(_lastReport, now) >= settings.BatchReportInterval;
                if (report)
                {
                    // Before the step, so that a check every batch (interval zero) stops where the old per-batch check did.
                    ThrowIfDiverged(metrics, epoch);
                }
                if (groups.EndsGroup(batch.Index))
                {
                    stepper.Step(epoch, stepsDone++);
                }

                int done = batch.Index + 1;
                bool last = done == loader.BatchesPerEpoch;
                double elapsedMs = priorMs + Stopwatch.GetElapsedTime(epochStart, now).TotalMilliseconds;
                if (report)
                {
                    _lastReport = now;
                    sink.Batch(new BatchProgress(epoch, done, loader.BatchesPerEpoch, metrics.Loss, metrics.Accuracy,
                        metrics.Samples / Math.Max(elapsedMs / 1000, 1e-9), DateTimeOffset.UtcNow));
                    board?.Batch((long)(epoch - 1) * loader.BatchesPerEpoch + done, metrics.Loss, metrics.Accuracy,
                        session.Optimizer.ParamGroups.First().LearningRate);
                }
                // The epoch's last batch is covered by the end-of-epoch checkpoint, written after validation.
                checkpointDue |= every > 0 && done % every == 0;
                if (checkpoint is not null && checkpointDue && groups.AtBoundary(done) && !last)
                {
                    checkpointDue = false;
                    ThrowIfDiverged(metrics, epoch);
                    checkpoint(new EpochPosition(done, metrics.Sums, elapsedMs, waitMs));
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await batches.DisposeAsync();
        }

        ThrowIfDiverged(metrics, epoch);
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

    /// <summary>Ends the run when a batch so far had a loss that is not finite; reads the device.</summary>
    private static void ThrowIfDiverged(RunningMetrics metrics, int epoch)
    {
        if (metrics.FirstNonFinite() is { } bad)
        {
            throw TrainingDivergedException.At(epoch, bad.Batch + 1, bad.Loss);
        }
    }
}
