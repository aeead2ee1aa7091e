using System.Globalization;
using WebTrainer.Shared.Metrics;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Training.Checkpoints;

/// <summary>
/// The checkpoints of one run: resume from <c>last.ckpt</c> when the run directory has one (and
/// it was written for this spec), write it every N batches and at every epoch end, and keep the
/// best epoch's weights. Without a run directory it writes nothing and keeps best weights in memory.
/// </summary>
internal sealed class RunCheckpoints(RunDirectory? run, string fingerprint, TrainingSession session, IProgressSink sink)
{
    public BestWeights Best { get; } = new(run?.BestWeights);

    /// <summary>Restores model, optimiser, schedule, early stopping and RNG from <c>last.ckpt</c>; null for a fresh start.</summary>
    public CheckpointState? TryResume()
    {
        if (run is not null)
        {
            Directory.CreateDirectory(run.Path);
        }
        if (run is null || !File.Exists(run.LastCheckpoint))
        {
            Best.Clear();
            return null;
        }
        var header = CheckpointFile.ReadHeader(run.LastCheckpoint);
        if (header.SpecFingerprint != fingerprint)
        {
            var message = $"Refusing checkpoint {run.LastCheckpoint}: it was written for another spec or dataset " +
                $"(fingerprint {header.SpecFingerprint}, {header.Architecture}; this run is {fingerprint}, {session.Spec.Model.Architecture}). " +
                "Delete the run directory to start over.";
            sink.Event("error", message);
            throw new CheckpointMismatchException(message);
        }
        var state = CheckpointFile.Restore(run.LastCheckpoint, session.Model, session.Optimizer, session.Device);
        session.Scheduler.Restore(state.Scheduler);
        session.EarlyStopping.Restore(state.EarlyStopping);
        sink.Event("info", string.Create(CultureInfo.InvariantCulture,
            $"Resuming from checkpoint of {state.WrittenAt:u}: epoch {state.Epoch}, batch {state.NextBatch}, {state.History.Count} epochs done"));
        return state;
    }

    /// <summary>Writes <c>last.ckpt</c>: the run stands at <paramref name="position"/> of <paramref name="epoch"/>.</summary>
    public void Save(int epoch, EpochPosition position, IReadOnlyList<EpochMetrics> history)
    {
        if (run is null)
        {
            return;
        }
        var state = new CheckpointState
        {
            SpecFingerprint = fingerprint,
            Architecture = session.Spec.Model.Architecture,
            Epoch = epoch,
            NextBatch = position.NextBatch,
            Sums = position.Sums,
            PartialElapsedMs = position.ElapsedMs,
            PartialWaitMs = position.WaitMs,
            Scheduler = session.Scheduler.State,
            EarlyStopping = session.EarlyStopping.State,
            History = history.ToArray(),
            WrittenAt = DateTimeOffset.UtcNow,
        };
        CheckpointFile.Write(run.LastCheckpoint, state, session.Model, session.Optimizer);
        // Mid-epoch checkpoints are frequent; only the end-of-epoch ones are worth a line in the job's log.
        // The state says where training goes on: batch 0 of an epoch is the end of the one before.
        sink.Event(position.NextBatch == 0 ? "info" : "debug", position.NextBatch == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Checkpoint written at the end of epoch {epoch - 1}")
            : string.Create(CultureInfo.InvariantCulture, $"Checkpoint written: epoch {epoch}, batch {position.NextBatch}"));
    }
}
