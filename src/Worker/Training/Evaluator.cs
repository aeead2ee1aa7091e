using WebTrainer.Shared.Metrics;
using WebTrainer.Worker.Data;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Runs a model over a split without gradients: loss, accuracy, and optionally a confusion matrix.
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
        var metrics = new RunningMetrics(classes);
        var matrix = confusion ? new long[classes, classes] : null;
        await foreach (var batch in loader.ReadEpochAsync(0, 0, cancellationToken))
        {
            // Grad mode and dispose scopes are thread-local in libtorch: open both per batch, inside
            // synchronous code, never across an await (the continuation may run on another thread).
            using (batch)
            using (var noGrad = no_grad())
            using (var scope = NewDisposeScope())
            {
                var x = batch.ToModelInput(device);
                var y = batch.Labels.to(device);
                var logits = model.call(x);
                var loss = criterion.Compute(logits, y);
                metrics.Add(logits, y, loss.item<float>());
                if (matrix is not null)
                {
                    var predicted = logits.argmax(1).cpu().data<long>().ToArray();
                    var actual = batch.Labels.data<long>().ToArray();
                    for (int i = 0; i < predicted.Length; i++)
                    {
                        matrix[actual[i], predicted[i]]++;
                    }
                }
            }
        }
        return (metrics, matrix);
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
