using WebTrainer.Shared.Jobs;

namespace WebTrainer.Web.Jobs.Forms;

public sealed class AugmentationForm
{
    public bool HorizontalFlip { get; set; }
    public bool VerticalFlip { get; set; }
    public double RotationRange { get; set; }
    public double ZoomRange { get; set; }
    public double ShearRange { get; set; }
    public double WidthShiftRange { get; set; }
    public double HeightShiftRange { get; set; }
    public double BrightnessRange { get; set; }
    public double ContrastRange { get; set; }
    public double RandomCropFraction { get; set; }

    /// <summary>On: the Worker picks 1/255 for uint8 images and 1 otherwise (the spec's null).</summary>
    public bool AutoRescale { get; set; } = true;
    public double Rescale { get; set; } = 1 / 255.0;
    public bool Normalize { get; set; }

    /// <summary>Kept through the form (no control on it) so that a cloned spec keeps where its augmentation runs.</summary>
    public string Device { get; set; } = AugmentationDevices.Auto;

    public static AugmentationForm From(AugmentationSpec spec) => new()
    {
        HorizontalFlip = spec.HorizontalFlip,
        VerticalFlip = spec.VerticalFlip,
        RotationRange = spec.RotationRange,
        ZoomRange = spec.ZoomRange,
        ShearRange = spec.ShearRange,
        WidthShiftRange = spec.WidthShiftRange,
        HeightShiftRange = spec.HeightShiftRange,
        BrightnessRange = spec.BrightnessRange,
        ContrastRange = spec.ContrastRange,
        RandomCropFraction = spec.RandomCropFraction,
        AutoRescale = spec.Rescale is null,
        Rescale = spec.Rescale ?? 1 / 255.0,
        Normalize = spec.Normalize,
        Device = spec.Device,
    };

    public AugmentationSpec ToSpec() => new()
    {
        HorizontalFlip = HorizontalFlip,
        VerticalFlip = VerticalFlip,
        RotationRange = RotationRange,
        ZoomRange = ZoomRange,
        ShearRange = ShearRange,
        WidthShiftRange = WidthShiftRange,
        HeightShiftRange = HeightShiftRange,
        BrightnessRange = BrightnessRange,
        ContrastRange = ContrastRange,
        RandomCropFraction = RandomCropFraction,
        Rescale = AutoRescale ? null : Rescale,
        Normalize = Normalize,
        Device = Device,
    };
}
