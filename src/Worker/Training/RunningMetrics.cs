using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>Sums of loss and correct predictions over batches; tensors in, plain numbers kept.</summary>
internal sealed class RunningMetrics(int classes)
{
    public double LossSum { get; private set; }
    public long Correct { get; private set; }
    public long CorrectTop5 { get; private set; }
    public long Samples { get; private set; }

    public bool HasTop5 => classes >= 5;

    public double Loss => Samples == 0 ? 0 : LossSum / Samples;
    public double Accuracy => Samples == 0 ? 0 : (double)Correct / Samples;
    public double? Top5 => HasTop5 && Samples > 0 ? (double)CorrectTop5 / Samples : null;

    /// <summary>The sums as they stand, for a mid-epoch checkpoint.</summary>
    public MetricSums Sums => new(LossSum, Correct, CorrectTop5, Samples);

    /// <summary>Continues a partial epoch from a checkpoint's sums.</summary>
    public static RunningMetrics From(int classes, MetricSums sums) => new(classes)
    {
        LossSum = sums.LossSum,
        Correct = sums.Correct,
        CorrectTop5 = sums.CorrectTop5,
        Samples = sums.Samples,
    };

    /// <summary>Adds a batch: <paramref name="meanLoss"/> is the batch's mean loss.</summary>
    public void Add(Tensor logits, Tensor labels, double meanLoss)
    {
        using var scope = NewDisposeScope();
        long n = labels.shape[0];
        LossSum += meanLoss * n;
        Samples += n;
        Correct += logits.argmax(1).eq(labels).sum().item<long>();
        if (HasTop5)
        {
            var top5 = logits.topk(5, dim: 1).indexes;
            CorrectTop5 += top5.eq(labels.unsqueeze(1)).any(1).sum().item<long>();
        }
    }
}
