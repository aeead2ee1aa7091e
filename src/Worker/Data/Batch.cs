using TorchSharp;

namespace WebTrainer.Worker.Data;

/// <summary>
/// A collated batch: images as float32 [B,C,H,W], labels as int64 [B]. The tensors are created
/// outside any dispose scope (on a pipeline thread) and are owned by this object; the trainer
/// disposes it after the step, which also gives its bytes back to the loader's memory budget.
/// </summary>
internal sealed class Batch(int epoch, int index, long[] rows, torch.Tensor images, torch.Tensor labels, Action? onDispose = null) : IDisposable
{
    private Action? _onDispose = onDispose;

    public int Epoch { get; } = epoch;
    public int Index { get; } = index;
    public IReadOnlyList<long> Rows { get; } = rows;
    public torch.Tensor Images { get; } = images;
    public torch.Tensor Labels { get; } = labels;
    public int Size => Rows.Count;

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Interlocked.Exchange(ref _onDispose, null)?.Invoke();
    }
}
