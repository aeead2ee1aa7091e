using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// Draws one sample's geometric augmentation (flips, rotation, shear, zoom, shift, random crop and
/// resize) as a single inverse affine map, so the image is resampled once however many are on.
/// Ranges follow Keras' <c>ImageDataGenerator</c>: rotation and shear in degrees, shifts as
/// fractions of the size, zoom factors in [1 − z, 1 + z] per axis.
/// </summary>
internal sealed class GeometricTransform(AugmentationSpec spec)
{
    public bool Enabled { get; } = spec.HorizontalFlip || spec.VerticalFlip || spec.RotationRange > 0 || spec.ShearRange > 0
        || spec.ZoomRange > 0 || spec.WidthShiftRange > 0 || spec.HeightShiftRange > 0 || spec.RandomCropFraction is > 0 and < 1;

    /// <summary>Where output pixel (x, y) of a <paramref name="width"/>×<paramref name="height"/> image samples the input, centred.</summary>
    public Affine2D Draw(ref SplitMix64 random, int width, int height)
    {
        var map = Affine2D.Identity;
        if (spec.HorizontalFlip && random.NextDouble() < 0.5)
        {
            map = Affine2D.Scale(-1, 1).After(map);
        }
        if (spec.VerticalFlip && random.NextDouble() < 0.5)
        {
            map = Affine2D.Scale(1, -1).After(map);
        }
        if (spec.ZoomRange > 0)
        {
            double zx = 1 + Symmetric(ref random, spec.ZoomRange), zy = 1 + Symmetric(ref random, spec.ZoomRange);
            map = Affine2D.Scale(zx, zy).After(map);
        }
        if (spec.ShearRange > 0)
        {
            map = Affine2D.Shear(Symmetric(ref random, spec.ShearRange) * Math.PI / 180).After(map);
        }
        if (spec.RotationRange > 0)
        {
            map = Affine2D.Rotate(Symmetric(ref random, spec.RotationRange) * Math.PI / 180).After(map);
        }
        if (spec.WidthShiftRange > 0 || spec.HeightShiftRange > 0)
        {
            double tx = spec.WidthShiftRange > 0 ? Symmetric(ref random, spec.WidthShiftRange) * width : 0;
            double ty = spec.HeightShiftRange > 0 ? Symmetric(ref random, spec.HeightShiftRange) * height : 0;
            map = Affine2D.Translate(tx, ty).After(map);
        }
        if (spec.RandomCropFraction is > 0 and < 1)
        {
            // Output covers a square of the input, side f·min(H, W), at a random place: scale into it, then move there.
            double side = spec.RandomCropFraction * Math.Min(width, height);
            double left = random.NextDouble() * (width - side), top = random.NextDouble() * (height - side);
            double centreX = left + side / 2 - width / 2.0, centreY = top + side / 2 - height / 2.0;
            map = Affine2D.Translate(centreX, centreY).After(Affine2D.Scale(side / width, side / height)).After(map);
        }
        return map;
    }

    private static double Symmetric(ref SplitMix64 random, double range) => (random.NextDouble() * 2 - 1) * range;
}
