using TorchSharp;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// The one way batch data moves from the host to the training device. To a GPU the copy is queued
/// without waiting (<c>non_blocking</c>); a blocking copy would make libtorch wait for the whole
/// stream after it, a host synchronisation per batch. That is safe for both kinds of host memory:
/// pageable memory is staged by the CUDA driver before the call returns (which may cost a short wait;
/// only small per-batch tensors such as augmentation parameters take that way), and pinned memory comes from
/// libtorch's caching host allocator (<see cref="TensorPool"/> does not reuse pinned tensors itself),
/// which records the copy and does not hand the block out again until the copy is done. On the CPU
/// the tensor is returned as it is, as before.
/// </summary>
internal static class DeviceCopy
{
    public static Tensor To(Tensor tensor, Device device) =>
        device.type == DeviceType.CUDA ? tensor.to(device, non_blocking: true) : tensor.to(device);
}
