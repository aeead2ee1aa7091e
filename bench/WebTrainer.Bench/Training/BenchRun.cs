using System.Diagnostics;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;

namespace WebTrainer.Bench.Training;

/// <summary>
/// One benchmark configuration, ready to step: the real data pipeline (SplitLoaders over the
/// train split, epoch after epoch) feeding the real training step. Each step is timed as the
/// wait for the batch plus the step itself.
/// </summary>
internal sealed class BenchRun : IAsyncDisposable
{
    private readonly TrainingData _data;
    private readonly DataLoader _loader;
    private readonly TrainingSession _session;
    private readonly RunningMetrics _metrics;
    private IAsyncEnumerator<WebTrainer.Worker.Data.Batch>? _batches;
    private int _epoch;

    public BenchRun(string label, JobSpec spec, TrainerSettings settings)
    {
        Label = label;
        BatchSize = spec.Training.BatchSize;
        _data = TrainingData.Open(spec.Dataset.File, spec.Dataset);
        _loader = new SplitLoaders(spec, _data, settings).Train;
        var input = ModelInput.For(spec.Model.Architecture, _data.Channels, _data.Height, _data.Width);
        _session = TrainingSession.Create(spec, input, _data.ClassCount, CPU, null, new SilentSink());
        _session.BeginEpoch(1);
        _session.Freezer.Train();
        _metrics = new RunningMetrics(_data.ClassCount);
    }

    public string Label { get; }

    /// <summary>What the loader hands the step: <c>float32</c> or <c>uint8</c>.</summary>
    public string Batches => _loader.StoredBatches ? "uint8" : "float32";
    public int BatchSize { get; }
    public List<(double WaitMs, double TotalMs)> Measured { get; } = [];

    /// <summary>One step; full batches only, so every measured step does the same work.</summary>
    public async Task<(double WaitMs, double TotalMs)> StepAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            if (_batches is null || !await _batches.MoveNextAsync())
            {
                if (_batches is not null)
                {
                    await _batches.DisposeAsync();
                }
                _batches = _loader.ReadEpochAsync(++_epoch, 0, cancellationToken).GetAsyncEnumerator(cancellationToken);
                continue;
            }
            double waitMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            using var batch = _batches.Current;
            if (batch.Size != BatchSize)
            {
                continue;
            }
            TrainStep.Run(_session.Model, _session.Optimizer, _session.Criterion, batch, CPU, _metrics);
            return (waitMs, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_batches is not null)
        {
            await _batches.DisposeAsync();
        }
        _session.Dispose();
    }

    private sealed class SilentSink : IProgressSink
    {
        public void Batch(WebTrainer.Shared.Metrics.BatchProgress progress)
        {
        }

        public void Epoch(WebTrainer.Shared.Metrics.EpochMetrics metrics)
        {
        }

        public void Event(string level, string message)
        {
        }
    }
}
