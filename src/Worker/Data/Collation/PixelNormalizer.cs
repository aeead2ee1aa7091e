using TorchSharp;
using WebTrainer.Worker.Data.Hdf5;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// What pixels go through before the model sees them — multiply by <see cref="Rescale"/>, then per
/// channel <c>x · scale + shift</c> (scale = 1/std, shift = −mean/std) when statistics are given —
/// and the one place where stored pixels become model input. The collator does the same float32
/// arithmetic on the CPU for batches it augments; for batches handed over as stored (uint8), and for
/// a predictor's raw pixel values, <see cref="ToModelInput"/> does it as tensor ops on the device.
/// </summary>
internal sealed class PixelNormalizer
{
    private readonly ImageLayout _layout;

    /// <param name="layout">How the stored pixels given to <see cref="ToModelInput"/> are laid out.</param>
    public PixelNormalizer(ImageLayout layout, float rescale, IReadOnlyList<float>? mean, IReadOnlyList<float>? std)
    {
        if ((mean is null) != (std is null) || (mean is not null && mean.Count != std!.Count))
        {
            throw new ArgumentException("mean and std must both be given, with one value per channel, or both be null", nameof(mean));
        }
        _layout = layout;
        Rescale = rescale;
        if (mean is not null && std is not null)
        {
            Scale = std.Select(s => 1 / Math.Max(s, 1e-12f)).ToArray();
            Shift = mean.Select((m, i) => -m * Scale[i]).ToArray();
        }
    }

    public float Rescale { get; }

    /// <summary>Per channel 1/std, or null when pixels are only rescaled.</summary>
    public float[]? Scale { get; }

    /// <summary>Per channel −mean/std, or null when pixels are only rescaled.</summary>
    public float[]? Shift { get; }

    /// <summary>
    /// Stored pixel values (any dtype; N,H,W,C or N,C,H,W as the layout says; uint8 for a batch) to
    /// float32 N,C,H,W on <paramref name="device"/>, rescaled and standardised. The stored tensor is
    /// moved first, so a uint8 batch crosses to a GPU at a quarter of float32's size and the work runs
    /// there. The result and its intermediates belong to the caller's dispose scope.
    /// </summary>
    public Tensor ToModelInput(Tensor stored, Device device) => Standardize(ToRescaled(stored, device));

    /// <summary>
    /// The first half of <see cref="ToModelInput"/>: stored pixels to rescaled float32 N,C,H,W on
    /// <paramref name="device"/>, a new tensor the caller may change in place. Device augmentation runs
    /// between the halves, where the CPU augmenter runs too.
    /// </summary>
    public Tensor ToRescaled(Tensor stored, Device device)
    {
        var x = DeviceCopy.To(stored, device);
        if (_layout == ImageLayout.Nhwc)
        {
            // A view: the float copy below keeps its channels-last strides, the layout the model wants (ChannelsLast).
            x = x.permute(0, 3, 1, 2);
        }
        // A new float32 tensor, never the stored one: the in-place ops below must not touch a pooled batch.
        x = x.to(ScalarType.Float32, copy: true);
        // Explicit Scalars, disposed after the call: TorchSharp frees a Scalar only in its finalizer, and a temporary
        // one (a float where a Scalar is taken, add_'s default alpha) is unreachable while libtorch still reads it,
        // so a garbage collection then frees it under libtorch ("Expected false to be true", issue 9).
        using var rescale = Rescale.ToScalar();
        x.mul_(rescale);
        return x;
    }

    /// <summary>The second half of <see cref="ToModelInput"/>: per-channel standardisation, in place on <paramref name="rescaled"/>.</summary>
    public Tensor Standardize(Tensor rescaled)
    {
        if (Scale is not null && Shift is not null)
        {
            var view = new long[] { 1, Scale.Length, 1, 1 };
            using var one = 1f.ToScalar();
            var device = rescaled.device;
            rescaled.mul_(DeviceCopy.To(tensor(Scale), device).view(view)).add_(DeviceCopy.To(tensor(Shift), device).view(view), one);
        }
        return rescaled;
    }
}
