using TorchSharp;

namespace WebTrainer.Worker.Data;

/// <summary>
/// A collated batch: images as float32 [B,C,H,W], labels as int64 [B]. The tensors are created
/// outside any dispose scope (on a pipeline thread) and are owned by this object; the trainer
/// disposes it after the step, which hands the image tensor back to the loader's pool (when it
/// came from one) and gives its bytes back to the loader's memory budget. Do not keep
/// <see cref="Images"/> past that.
/// </summary>
internal sealed class Batch(int epoch, int index, long[] rows, torch.Tensor images, torch.Tensor labels,
    Action<torch.Tensor>? returnImages = null, Action? onDispose = null) : IDisposable
{
    private int _disposed;

    public int Epoch { get; } = epoch;
    public int Index { get; } = index;
    public IReadOnlyList<long> Rows { get; } = rows;
    public torch.Tensor Images { get; } = images;
    public torch.Tensor Labels { get; } = labels;
    public int Size => Rows.Count;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (returnImages is null)
        {
            Images.Dispose();
        }
        else
        {
            returnImages(Images);
        }
        Labels.Dispose();
        onDispose?.Invoke();
    }
}
