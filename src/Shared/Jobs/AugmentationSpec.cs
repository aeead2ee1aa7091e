namespace WebTrainer.Shared.Jobs;

/// <summary>
/// On-the-fly augmentation of the train split, Keras <c>ImageDataGenerator</c> style. Ranges are
/// symmetric: a rotation range of 15 draws an angle in [-15, 15] degrees.
/// </summary>
public sealed record AugmentationSpec
{
    public bool HorizontalFlip { get; init; }
    public bool VerticalFlip { get; init; }
    public double RotationRange { get; init; }
    public double ZoomRange { get; init; }
    public double ShearRange { get; init; }
    public double WidthShiftRange { get; init; }
    public double HeightShiftRange { get; init; }
    public double BrightnessRange { get; init; }
    public double ContrastRange { get; init; }

    /// <summary>Crop a random square of this fraction of the shorter side, then resize to the model input (0: off).</summary>
    public double RandomCropFraction { get; init; }

    /// <summary>Multiplier applied to raw pixel values, e.g. 1/255. Null: 1/255 for uint8 images, 1 otherwise.</summary>
    public double? Rescale { get; init; }

    /// <summary>Subtract the train split's per-channel mean and divide by its std after rescaling.</summary>
    public bool Normalize { get; init; }

    /// <summary>
    /// Where augmentation runs (<see cref="AugmentationDevices"/>): <c>auto</c> picks the training device on a
    /// GPU Worker and the CPU otherwise. Both draw the same random parameters per sample; the device path
    /// needs uint8 images and otherwise falls back to the CPU.
    /// </summary>
    public string Device { get; init; } = AugmentationDevices.Auto;
}
