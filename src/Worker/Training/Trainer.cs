using System.Globalization;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Sampling;
using WebTrainer.Worker.Training.Artifacts;
using WebTrainer.Worker.Training.Checkpoints;
using WebTrainer.Worker.Training.Models;
using WebTrainer.Worker.Training.TensorBoard;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Training;

/// <summary>
/// One run: epochs of train-then-validate with schedule, freezing, early stopping and
/// checkpoints, then the test split and the trained model's files. Continues from the run
/// directory's <c>last.ckpt</c> when there is one, and then ends with exactly the numbers an
/// uninterrupted run would have (same seed, CPU, thread count).
/// </summary>
internal sealed class Trainer(TrainerSettings settings, IProgressSink sink)
{
    public async Task<TestResults?> RunAsync(JobSpec spec, TrainingData data, CancellationToken cancellationToken)
    {
        var device = TorchRuntime.SelectDevice(spec.Training.Device == "auto" ? settings.Device : spec.Training.Device);
        var loaders = new SplitLoaders(spec, data, settings, cancellationToken, device);
        var input = ModelInput.For(spec.Model.Architecture, data.Channels, data.Height, data.Width);
        using var session = TrainingSession.Create(spec, input, data.ClassCount, device, settings.PretrainedWeightsFile, sink);
        var run = settings.RunDirectory is null ? null : new RunDirectory(settings.RunDirectory);
        var dataShape = SpecFingerprint.DataShape(data.Train.Count, data.Validation?.Count ?? 0, data.Test?.Count ?? 0,
            data.Channels, data.Height, data.Width, data.ClassCount);
        var fingerprint = SpecFingerprint.Of(spec, dataShape);
        var checkpoints = new RunCheckpoints(run, fingerprint, session, sink);

        var resumed = checkpoints.TryResume();
        var history = resumed?.History.ToList() ?? [];
        foreach (var done in history)
        {
            sink.Epoch(done);
        }
        AnnounceStart(spec, data, session, loaders, resumed is not null);

        int epoch = resumed?.Epoch ?? 1;
        var position = resumed is null ? EpochPosition.Start
            : new EpochPosition(resumed.NextBatch, resumed.Sums, resumed.PartialElapsedMs, resumed.PartialWaitMs);
        using var board = run is null ? null
            : TensorBoardLog.Open(run, epoch, (long)(epoch - 1) * loaders.Train.BatchesPerEpoch + position.NextBatch);
        var epochs = new EpochTrainer(session, settings, sink, board);
        for (; epoch <= spec.Training.Epochs && !session.EarlyStopping.State.Stopped; epoch++, position = EpochPosition.Start)
        {
            settings.Position?.BeginEpoch(epoch);
            BeginEpoch(session, epoch);
            int current = epoch;
            var metrics = await epochs.RunAsync(loaders.Train, epoch, position,
                run is null ? null : at => checkpoints.Save(current, at, history), cancellationToken);
            if (loaders.Validation is not null)
            {
                var (validation, _) = await Evaluator.EvaluateAsync(session.Model, session.Criterion, loaders.Validation, device,
                    data.ClassCount, false, cancellationToken);
                metrics = metrics with
                {
                    ValidationLoss = validation.Loss,
                    ValidationAccuracy = validation.Accuracy,
                    ValidationTop5Accuracy = validation.Top5,
                };
            }
            history.Add(metrics);
            sink.Epoch(metrics);
            board?.Epoch(metrics);
            EndEpoch(session, checkpoints, metrics);
            checkpoints.Save(epoch + 1, EpochPosition.Start, history);
            cancellationToken.ThrowIfCancellationRequested();
        }

        int? restored = RestoreBest(session, checkpoints, history.Count);
        var classNames = ClassNames.Of(data);
        TestResults? test = null;
        if (loaders.Test is not null)
        {
            var (results, confusion) = await Evaluator.EvaluateAsync(session.Model, session.Criterion, loaders.Test, device,
                data.ClassCount, true, cancellationToken);
            test = Evaluator.ToTestResults(results, confusion!, classNames);
        }
        if (run is not null)
        {
            ModelArtifacts.Write(run, session.Model, new ModelManifest
            {
                Architecture = spec.Model.Architecture,
                Classes = classNames,
                Input = input,
                Normalization = loaders.Normalization,
                DatasetFile = spec.Dataset.File,
                SpecFingerprint = fingerprint,
                EpochsTrained = history.Count,
                RestoredBestEpoch = restored,
                TestAccuracy = test?.Accuracy,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            sink.Event("info", $"Model saved: {run.ModelWeights}, also as {RunDirectory.ModelPyTorchFileName} and {RunDirectory.ModelSafetensorsFileName} for PyTorch, with manifest {RunDirectory.ManifestFileName}");
        }
        return test;
    }

    private void AnnounceStart(JobSpec spec, TrainingData data, TrainingSession session, SplitLoaders loaders, bool resumed)
    {
        var input = session.Model.Input;
        sink.Event("info", string.Create(CultureInfo.InvariantCulture,
            $"{(resumed ? "Continuing" : "Training")} {spec.Model.Architecture} on {session.Device.type}: {data.Train.Count} train, " +
            $"{data.Validation?.Count ?? 0} validation, {data.Test?.Count ?? 0} test samples, {data.ClassCount} classes, " +
            $"{loaders.Train.BatchesPerEpoch} batches per epoch; images {input.DataChannels}x{input.DataHeight}x{input.DataWidth} " +
            $"enter the network as {input.Channels}x{input.Height}x{input.Width}; batches: {loaders.DescribeBatches()}"));
        sink.Event("info", loaders.DescribeSampling(spec.Training.Sampling));
        if (loaders.SamplingCosts.Of(loaders.Sampling) is { Ratio: > ReadCostModel.WarnRatio } cost)
        {
            sink.Event("warning", loaders.SamplingCosts.Warning(spec.Dataset.Train.Images)
                ?? $"{spec.Dataset.Train.Images}: {loaders.Sampling} sampling reads {cost.Ratio:0.#}× each image's bytes; sampling \"auto\" picks the cheaper mode");
        }
        if (loaders.DescribeShortBudget() is { } shortBudget)
        {
            sink.Event("warning", shortBudget);
        }
        if (loaders.Validation is null)
        {
            sink.Event("warning", $"No validation split: {session.Monitor.Name} is watched on the train split instead");
        }
        var oneDnn = OneDnnWorkaround.Current;
        if (oneDnn.Active || oneDnn.Risky)
        {
            sink.Event(oneDnn.Risky ? "warning" : "info", oneDnn.Description);
        }
    }

    private void BeginEpoch(TrainingSession session, int epoch)
    {
        bool wasFrozen = session.Freezer.Frozen;
        session.BeginEpoch(epoch);
        if (session.Freezer.Frozen && (epoch == 1 || !wasFrozen))
        {
            sink.Event("info", $"Backbone frozen until epoch {session.Spec.Model.FreezeBackboneEpochs}: only the head trains");
        }
        else if (wasFrozen && !session.Freezer.Frozen)
        {
            sink.Event("info", $"Backbone unfrozen at epoch {epoch}");
        }
    }

    private void EndEpoch(TrainingSession session, RunCheckpoints checkpoints, EpochMetrics metrics)
    {
        double value = session.Monitor.ValueOf(metrics);
        if (session.EarlyStopping.Observe(metrics.Epoch, value))
        {
            checkpoints.Best.Save(session.Model);
        }
        if (session.Scheduler.Observe(value, session.Monitor.HigherIsBetter))
        {
            sink.Event("info", string.Create(CultureInfo.InvariantCulture,
                $"{session.Monitor.Name} has not improved for {session.Spec.Training.Schedule!.Patience} epochs: learning rate lowered to " +
                $"{session.Scheduler.LearningRateFor(metrics.Epoch + 1):G4}"));
        }
        if (session.EarlyStopping.State.Stopped)
        {
            sink.Event("info", string.Create(CultureInfo.InvariantCulture,
                $"Early stopping after epoch {metrics.Epoch}: {session.Monitor.Name} has not improved since epoch " +
                $"{session.EarlyStopping.State.BestEpoch} ({session.EarlyStopping.State.Best:G6})"));
        }
    }

    /// <summary>Loads the best epoch's weights when the spec asks for it; returns that epoch, or null when the weights stay.</summary>
    private int? RestoreBest(TrainingSession session, RunCheckpoints checkpoints, int epochsDone)
    {
        var state = session.EarlyStopping.State;
        if (!session.EarlyStopping.RestoreBest || !checkpoints.Best.Exists || state.BestEpoch == 0)
        {
            return null;
        }
        if (state.BestEpoch != epochsDone)
        {
            checkpoints.Best.Restore(session.Model);
            sink.Event("info", string.Create(CultureInfo.InvariantCulture,
                $"Restored the weights of epoch {state.BestEpoch} (best {session.Monitor.Name} {state.Best:G6}) for testing and saving"));
        }
        return state.BestEpoch;
    }
}
