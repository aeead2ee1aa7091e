using System.Collections.Concurrent;
using TorchSharp;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// Reuses full-batch image tensors: a disposed batch hands its tensor back for the next batch to
/// fill, so libtorch does not map (and the kernel does not zero) tens of MB of fresh memory per batch.
/// At most as many tensors exist as batches fit in the memory budget. After <see cref="Dispose"/>
/// returned tensors are freed instead. Pinned tensors (for a CUDA device) are not reused here: the
/// copy to the device may still be reading one when its batch is disposed, and only libtorch's
/// caching host allocator, which frees them, knows when that copy is done (it reuses the memory
/// itself once it is), so each rent is a new pinned tensor.
/// </summary>
internal sealed class TensorPool(long[] batchShape, torch.ScalarType type = torch.ScalarType.Float32, bool pinned = false) : IDisposable
{
    private readonly ConcurrentBag<torch.Tensor> _free = [];
    private volatile bool _disposed;

    public torch.ScalarType Type => type;

    public torch.Tensor Rent(int rows)
    {
        if (!pinned && rows == batchShape[0] && _free.TryTake(out var tensor))
        {
            return tensor;
        }
        var shape = (long[])batchShape.Clone();
        shape[0] = rows;
        return Empty(shape, type, pinned);
    }

    /// <summary>A new tensor, in pinned host memory when asked (libtorch with CUDA only).</summary>
    public static torch.Tensor Empty(long[] shape, torch.ScalarType type, bool pinned)
    {
        var tensor = torch.empty(shape, type);
        if (!pinned)
        {
            return tensor;
        }
        var result = tensor.pin_memory();
        tensor.Dispose();
        return result;
    }

    public void Return(torch.Tensor tensor)
    {
        if (_disposed || pinned || tensor.shape[0] != batchShape[0])
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
