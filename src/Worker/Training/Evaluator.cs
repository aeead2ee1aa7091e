using TorchSharp;
using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Data;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Runs a model over a split without gradients: loss, accuracy, and optionally a confusion matrix,
/// summed on the device and read once at the end.
/// Gradient mode is thread-local in libtorch, so it is switched off per batch, inside the synchronous
/// part: held across an await it would be restored on another thread and leak into later training.
/// </summary>
internal static class Evaluator
{
    public static async Task<(RunningMetrics Metrics, long[,]? Confusion)> EvaluateAsync(
        nn.Module<Tensor, Tensor> model, LossFunction criterion, DataLoader loader, Device device,
        int classes, bool confusion, CancellationToken cancellationToken)
    {
        model.eval();
        // Sums and the confusion matrix stay on the device until the split is done: no batch waits for a read-back.
        using var metrics = new RunningMetrics(classes);
        Tensor? matrix = null;
        try
        {
            await foreach (var batch in loader.ReadEpochAsync(0, 0, cancellationToken))
            {
                // Grad mode and dispose scopes are thread-local in libtorch: open both per batch, inside
                // synchronous code, never across an await (the continuation may run on another thread).
                using (batch)
                using (var noGrad = no_grad())
                using (var scope = NewDisposeScope())
                {
                    var x = batch.ToModelInput(device);
                    var y = batch.LabelsOn(device);
                    var logits = model.call(x);
                    var loss = criterion.Compute(logits, y);
                    metrics.Add(logits, y, loss);
                    if (confusion)
                    {
                        matrix ??= zeros([(long)classes * classes], ScalarType.Int64, device).DetachFromDisposeScope();
                        // Cell (actual, predicted) counted at actual·k + predicted. scatter_add_, not bincount: CUDA's
                        // bincount reads the index range back to the host to size its result, a wait per batch.
                        using var k = ((long)classes).ToScalar();
                        using var one = 1L.ToScalar();
                        var cell = y.mul(k).add(logits.argmax(1), one);
                        matrix.scatter_add_(0, cell, ones_like(cell));
                    }
                }
            }
            return (RunningMetrics.From(classes, metrics.Sums), confusion ? ReadConfusion(matrix, classes) : null);
        }
        finally
        {
            matrix?.Dispose();
        }
    }

    private static long[,] ReadConfusion(Tensor? counts, int classes)
    {
        var result = new long[classes, classes];
        if (counts is null)
        {
            return result;
        }
        using var host = counts.cpu();
        var values = host.data<long>().ToArray();
        for (int actual = 0; actual < classes; actual++)
        {
            for (int predicted = 0; predicted < classes; predicted++)
            {
                result[actual, predicted] = values[actual * classes + predicted];
            }
        }
        return result;
    }

    public static TestResults ToTestResults(RunningMetrics metrics, long[,] confusion, IReadOnlyList<string> classes)
    {
        int k = classes.Count;
        var perClass = new double[k];
        var rows = new List<IReadOnlyList<int>>(k);
        for (int actual = 0; actual < k; actual++)
        {
            long total = 0;
            var row = new int[k];
            for (int predicted = 0; predicted < k; predicted++)
            {
                row[predicted] = (int)confusion[actual, predicted];
                total += confusion[actual, predicted];
            }
            perClass[actual] = total == 0 ? double.NaN : (double)confusion[actual, actual] / total;
            rows.Add(row);
        }
        return new TestResults(metrics.Loss, metrics.Accuracy, metrics.Top5, classes, perClass, rows);
    }
}
