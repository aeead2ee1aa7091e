using System.Diagnostics;
using TorchSharp;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Epochs of train-then-validate for one run, then the test split. One dispose scope per batch;
/// only plain numbers leave a step.
/// </summary>
internal sealed class Trainer(TrainerSettings settings, IProgressSink sink)
{
    public async Task<TestResults?> RunAsync(JobSpec spec, TrainingData data, CancellationToken cancellationToken)
    {
        var device = TorchRuntime.SelectDevice(spec.Training.Device == "auto" ? settings.Device : spec.Training.Device);
        manual_seed(spec.Training.Seed);
        var loaders = new SplitLoaders(spec, data, settings);

        using var model = ModelFactory.Create(spec.Model.Architecture, data.Channels, data.ClassCount);
        model.to(device);
        using var optimizer = OptimizerFactory.Create(spec.Training, model.parameters());
        using var criterion = new LossFunction(spec.Training.LabelSmoothing, spec.Training.ClassWeights, device);
        sink.Event("info", $"Training {spec.Model.Architecture} on {device.type}: {data.Train.Count} train, " +
            $"{data.Validation?.Count ?? 0} validation, {data.Test?.Count ?? 0} test samples, {data.ClassCount} classes, " +
            $"{loaders.Train.BatchesPerEpoch} batches per epoch");

        for (int epoch = 1; epoch <= spec.Training.Epochs; epoch++)
        {
            var metrics = await TrainEpochAsync(model, optimizer, criterion, loaders.Train, device, epoch, data.ClassCount, cancellationToken);
            if (loaders.Validation is not null)
            {
                var (validation, _) = await Evaluator.EvaluateAsync(model, criterion, loaders.Validation, device, data.ClassCount, false, cancellationToken);
                metrics = metrics with
                {
                    ValidationLoss = validation.Loss,
                    ValidationAccuracy = validation.Accuracy,
                    ValidationTop5Accuracy = validation.Top5,
                };
            }
            sink.Epoch(metrics);
        }

        if (loaders.Test is null)
        {
            return null;
        }
        var (test, confusion) = await Evaluator.EvaluateAsync(model, criterion, loaders.Test, device, data.ClassCount, true, cancellationToken);
        var classes = Enumerable.Range(0, data.ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return Evaluator.ToTestResults(test, confusion!, classes);
    }

    private async Task<EpochMetrics> TrainEpochAsync(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer,
        LossFunction criterion, DataLoader loader, Device device, int epoch, int classes,
        CancellationToken cancellationToken)
    {
        model.train();
        var metrics = new RunningMetrics(classes);
        loader.Stats.TakeSnapshot();
        var epochStart = Stopwatch.GetTimestamp();
        long waitTicks = 0;
        long lastReport = 0;
        var batches = loader.ReadEpochAsync(epoch, 0, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                var waitStart = Stopwatch.GetTimestamp();
                if (!await batches.MoveNextAsync())
                {
                    break;
                }
                waitTicks += Stopwatch.GetElapsedTime(waitStart).Ticks;
                using var batch = batches.Current;
                // Thread-local state (grad mode, dispose scope) is set per step: after an await this
                // may be a thread an evaluation left in no-grad mode.
                using (var grad = enable_grad())
                using (var scope = NewDisposeScope())
                {
                    var x = batch.Images.to(device);
                    var y = batch.Labels.to(device);
                    optimizer.zero_grad();
                    var logits = model.call(x);
                    var loss = criterion.Compute(logits, y);
                    loss.backward();
                    optimizer.step();
                    metrics.Add(logits.detach(), y, loss.item<float>());
                }

                bool last = batch.Index == loader.BatchesPerEpoch - 1;
                var now = Stopwatch.GetTimestamp();
                if (last || Stopwatch.GetElapsedTime(lastReport, now) >= settings.BatchReportInterval)
                {
                    lastReport = now;
                    var seconds = Stopwatch.GetElapsedTime(epochStart, now).TotalSeconds;
                    sink.Batch(new BatchProgress(epoch, batch.Index + 1, loader.BatchesPerEpoch, metrics.Loss, metrics.Accuracy,
                        metrics.Samples / Math.Max(seconds, 1e-9), DateTimeOffset.UtcNow));
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await batches.DisposeAsync();
        }

        var elapsed = Stopwatch.GetElapsedTime(epochStart);
        var pipeline = loader.Stats.TakeSnapshot();
        return new EpochMetrics
        {
            Epoch = epoch,
            TrainLoss = metrics.Loss,
            TrainAccuracy = metrics.Accuracy,
            TrainTop5Accuracy = metrics.Top5,
            LearningRate = optimizer.ParamGroups.First().LearningRate,
            SamplesPerSecond = metrics.Samples / Math.Max(elapsed.TotalSeconds, 1e-9),
            DataStallPercent = 100.0 * waitTicks / Math.Max(1, elapsed.Ticks),
            ReadMegabytesPerSecond = pipeline.ReadMs > 0 ? pipeline.BytesRead / 1e6 / (pipeline.ReadMs / 1000) : 0,
            ReadMs = pipeline.ReadMs,
            AugmentMs = pipeline.AugmentMs,
            ElapsedMs = (long)elapsed.TotalMilliseconds,
        };
    }
}
