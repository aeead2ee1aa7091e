using System.Collections.Concurrent;
using TorchSharp;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// Reuses full-batch image tensors: a disposed batch hands its tensor back for the next batch to
/// fill, so libtorch does not map (and the kernel does not zero) tens of MB of fresh memory per batch.
/// At most as many tensors exist as batches fit in the memory budget. After <see cref="Dispose"/>
/// returned tensors are freed instead.
/// </summary>
internal sealed class TensorPool(long[] batchShape, torch.ScalarType type = torch.ScalarType.Float32) : IDisposable
{
    private readonly ConcurrentBag<torch.Tensor> _free = [];
    private volatile bool _disposed;

    public torch.ScalarType Type => type;

    public torch.Tensor Rent(int rows)
    {
        if (rows == batchShape[0] && _free.TryTake(out var tensor))
        {
            return tensor;
        }
        var shape = (long[])batchShape.Clone();
        shape[0] = rows;
        return torch.empty(shape, type);
    }

    public void Return(torch.Tensor tensor)
    {
        if (_disposed || tensor.shape[0] != batchShape[0])
        {
            tensor.Dispose();
            return;
        }
        _free.Add(tensor);
        if (_disposed && _free.TryTake(out var late))
        {
            late.Dispose(); // lost the race with Dispose: do not keep it
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_free.TryTake(out var tensor))
        {
            tensor.Dispose();
        }
    }
}
