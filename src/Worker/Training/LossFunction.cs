using TorchSharp;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Cross-entropy with optional class weights and label smoothing (TorchSharp's CrossEntropyLoss
/// has no smoothing): (1-ε)·NLL(log softmax) + ε·mean over classes of −log softmax.
/// </summary>
internal sealed class LossFunction(double labelSmoothing, IReadOnlyList<double>? classWeights, Device device) : IDisposable
{
    private readonly Tensor? _weights = classWeights is null ? null : tensor(classWeights.Select(w => (float)w).ToArray()).to(device);

    public Tensor Compute(Tensor logits, Tensor labels)
    {
        using var logProbabilities = nn.functional.log_softmax(logits, 1);
        var loss = nn.functional.nll_loss(logProbabilities, labels, _weights);
        if (labelSmoothing <= 0)
        {
            return loss;
        }
        using var uniform = logProbabilities.mean([1]).neg().mean();
        // Explicit Scalars held until the calls return: TorchSharp frees a temporary one in its finalizer,
        // which a garbage collection can run while libtorch still reads it (see PixelNormalizer).
        using var keep = (1 - labelSmoothing).ToScalar();
        using var smoothing = labelSmoothing.ToScalar();
        using var one = 1.0.ToScalar();
        using var sharp = loss.mul(keep);
        loss.Dispose();
        using var spread = uniform.mul(smoothing);
        return sharp.add(spread, one);
    }

    public void Dispose() => _weights?.Dispose();
}
