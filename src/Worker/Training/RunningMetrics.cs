using TorchSharp;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Sums of loss and correct predictions over batches, kept as tensors on the device the batches come
/// from: <see cref="Add"/> only queues tensor ops, so a CUDA step never waits for the GPU to hand a
/// number back. Reading any figure (<see cref="Sums"/>, <see cref="Loss"/>, …) copies the sums to the
/// host once, waiting for the queued work; the trainer does that at its report interval, at
/// checkpoints and at the end of an epoch only. The sample count is the batches' sizes, known on the
/// host without asking the device. Also watches for the first batch whose loss is not finite
/// (<see cref="FirstNonFinite"/>). On the CPU every op runs when called, so nothing changes there.
/// </summary>
internal sealed class RunningMetrics(int classes, MetricSums? start = null) : IDisposable
{
    private readonly MetricSums _start = start ?? MetricSums.Zero;
    private Tensor? _lossSum, _correct, _correctTop5, _firstBad, _badLoss;
    private MetricSums? _read;

    public bool HasTop5 => classes >= 5;

    public long Samples { get; private set; } = start?.Samples ?? 0;

    public double LossSum => Sums.LossSum;
    public long Correct => Sums.Correct;
    public long CorrectTop5 => Sums.CorrectTop5;

    public double Loss => Samples == 0 ? 0 : LossSum / Samples;
    public double Accuracy => Samples == 0 ? 0 : (double)Correct / Samples;
    public double? Top5 => HasTop5 && Samples > 0 ? (double)CorrectTop5 / Samples : null;

    /// <summary>The sums as they stand (read from the device once per batch added, then cached), for reports and a mid-epoch checkpoint.</summary>
    public MetricSums Sums => _read ??= ReadSums();

    /// <summary>Continues a partial epoch from a checkpoint's sums.</summary>
    public static RunningMetrics From(int classes, MetricSums sums) => new(classes, sums);

    /// <summary>
    /// Adds a batch: <paramref name="meanLoss"/> is the batch's mean loss, a 0-d tensor on the logits' device.
    /// When <paramref name="batch"/> is given (0-based), a loss that is not finite is remembered with it,
    /// the first one only, without a look at its value here.
    /// </summary>
    public void Add(Tensor logits, Tensor labels, Tensor meanLoss, int? batch = null)
    {
        using var scope = NewDisposeScope();
        long n = labels.shape[0];
        Start(logits.device);
        var loss = meanLoss.detach().to(ScalarType.Float64);
        // The same double arithmetic the host did when it read each batch's float: exact on resume too.
        using (var count = ((double)n).ToScalar())
        {
            _lossSum!.add_(loss, count);
        }
        Samples += n;
        _correct!.add_(logits.argmax(1).eq(labels).sum());
        if (HasTop5)
        {
            var top5 = logits.topk(5, dim: 1).indexes;
            _correctTop5!.add_(top5.eq(labels.unsqueeze(1)).any(1).sum());
        }
        if (batch is { } index)
        {
            var bad = isfinite(meanLoss.detach()).logical_not().logical_and(_firstBad!.lt(0));
            using var at = ((long)index).ToScalar();
            _badLoss!.copy_(where(bad, meanLoss.detach().to(ScalarType.Float32), _badLoss));
            _firstBad.masked_fill_(bad, at);
        }
        _read = null;
    }

    /// <summary>
    /// The first batch added with a loss that is not finite (0-based) and that loss, or null. Reads the
    /// device, so call it where the sums are read anyway.
    /// </summary>
    public (int Batch, float Loss)? FirstNonFinite()
    {
        if (_firstBad is null)
        {
            return null;
        }
        long batch = _firstBad.item<long>();
        return batch < 0 ? null : ((int)batch, _badLoss!.item<float>());
    }

    public void Dispose()
    {
        foreach (var tensor in new[] { _lossSum, _correct, _correctTop5, _firstBad, _badLoss })
        {
            tensor?.Dispose();
        }
    }

    private void Start(Device device)
    {
        if (_lossSum is not null)
        {
            return;
        }
        // Outside any dispose scope: the sums live as long as this object, not as long as the batch.
        _lossSum = tensor(_start.LossSum, ScalarType.Float64, device).DetachFromDisposeScope();
        _correct = tensor(_start.Correct, ScalarType.Int64, device).DetachFromDisposeScope();
        _correctTop5 = tensor(_start.CorrectTop5, ScalarType.Int64, device).DetachFromDisposeScope();
        _firstBad = tensor(-1L, ScalarType.Int64, device).DetachFromDisposeScope();
        _badLoss = tensor(0f, ScalarType.Float32, device).DetachFromDisposeScope();
    }

    private MetricSums ReadSums()
    {
        if (_lossSum is null)
        {
            return _start with { Samples = Samples };
        }
        using var scope = NewDisposeScope();
        // One copy to the host for all three sums; counts below 2^53 are exact in a double.
        var values = stack([_lossSum, _correct!.to(ScalarType.Float64), _correctTop5!.to(ScalarType.Float64)]).cpu().data<double>().ToArray();
        return new MetricSums(values[0], (long)values[1], (long)values[2], Samples);
    }
}
