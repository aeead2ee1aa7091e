using static TorchSharp.torch;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// The memory layout every model input gets: channels last (N,C,H,W in shape, N,H,W,C in memory). On a CPU libtorch's
/// oneDNN convolutions then give channels-last outputs and batch norm, ReLU and max pooling run their channels-last
/// kernels, which vectorise over the channels; the channels-first max pooling alone was a quarter of the small CNN's
/// time on 64×64 RGB images (perf, bench/README.md "Channels last"). One layout for every path a batch can take
/// (stored pixels converted on the device, the collator's float batches, the device augmenter, a prediction), so
/// the same images give the same numbers whichever path they took. A one-channel image is the same memory either way.
/// </summary>
internal static class ChannelsLast
{
    /// <summary><paramref name="x"/> itself when it is already laid out so (or is not 4-D), else a channels-last copy.</summary>
    public static Tensor Of(Tensor x) => x.dim() == 4 ? x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : x;
}
