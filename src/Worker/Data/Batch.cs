using TorchSharp;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;

namespace WebTrainer.Worker.Data;

/// <summary>
/// A collated batch: images, and labels as int64 [B]. The images are either model-ready float32
/// [B,C,H,W] (decoded, augmented and normalised on the CPU; channels last in memory already) or, where no CPU augmentation runs, the
/// stored uint8 pixels as read (<see cref="StoredPixels"/>), which <see cref="ToModelInput"/> converts
/// on the training device. The tensors are created outside any dispose scope (on a pipeline thread)
/// and are owned by this object; the trainer disposes it after the step, which hands the image tensor
/// back to the loader's pool (when it came from one) and gives its bytes back to the loader's memory
/// budget. Do not keep <see cref="Images"/> past that. A stored batch of the train split may carry a
/// <see cref="DeviceAugmenter"/>: it is then augmented on the training device, between rescale and
/// standardisation, with the sample rows and epoch the CPU augmenter would have used.
/// </summary>
internal sealed class Batch(int epoch, int index, long[] rows, torch.Tensor images, torch.Tensor labels,
    PixelNormalizer? storedPixels = null, Action<torch.Tensor>? returnImages = null, Action? onDispose = null,
    DeviceAugmenter? deviceAugmenter = null) : IDisposable
{
    private int _disposed;

    public int Epoch { get; } = epoch;
    public int Index { get; } = index;
    public IReadOnlyList<long> Rows { get; } = rows;

    /// <summary>The batch's pixels as the pipeline produced them; give the model <see cref="ToModelInput"/> instead.</summary>
    public torch.Tensor Images { get; } = images;
    public torch.Tensor Labels { get; } = labels;
    public int Size => Rows.Count;

    /// <summary>Whether <see cref="Images"/> holds the stored pixels (uint8, as read), converted only in <see cref="ToModelInput"/>.</summary>
    public bool StoredPixels => storedPixels is not null;

    /// <summary>
    /// The model's input, float32 [B,C,H,W] (<see cref="ChannelsLast"/> in memory) on <paramref name="device"/>, in the caller's dispose scope:
    /// the only way from a batch to the model, so rescale and normalisation apply exactly once.
    /// </summary>
    public torch.Tensor ToModelInput(torch.Device device) => ChannelsLast.Of((storedPixels, deviceAugmenter) switch
    {
        (null, _) => DeviceCopy.To(Images, device),
        (_, null) => storedPixels.ToModelInput(Images, device),
        _ when deviceAugmenter.PreparesOnCpu(device) => deviceAugmenter.PrepareOnCpu(Images, Epoch, Rows),
        _ => storedPixels.Standardize(deviceAugmenter.Apply(storedPixels.ToRescaled(Images, device), Epoch, Rows)),
    });

    /// <summary>Whether <see cref="ToModelInput"/> augments on the device.</summary>
    public bool AugmentedOnDevice => storedPixels is not null && deviceAugmenter is not null;

    /// <summary>The labels on <paramref name="device"/>, in the caller's dispose scope.</summary>
    public torch.Tensor LabelsOn(torch.Device device) => DeviceCopy.To(Labels, device);

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
