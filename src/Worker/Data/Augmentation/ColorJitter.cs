using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// Brightness (scale every value by a factor in [1 − b, 1 + b]) and contrast (scale the distance
/// from the image mean by a factor in [1 − c, 1 + c]), on rescaled values, before normalisation.
/// </summary>
internal sealed class ColorJitter(AugmentationSpec spec) : IAugmentation
{
    public bool Enabled { get; } = spec.BrightnessRange > 0 || spec.ContrastRange > 0;

    /// <summary>
    /// One sample's factors, drawn in the order <see cref="Apply"/> uses them (brightness, then contrast;
    /// only those switched on take a number from the stream), so the device path draws the same ones.
    /// A factor that is off is null.
    /// </summary>
    public (float? Brightness, float? Contrast) Draw(ref SplitMix64 random)
    {
        float? brightness = spec.BrightnessRange > 0 ? (float)(1 + (random.NextDouble() * 2 - 1) * spec.BrightnessRange) : null;
        float? contrast = spec.ContrastRange > 0 ? (float)(1 + (random.NextDouble() * 2 - 1) * spec.ContrastRange) : null;
        return (brightness, contrast);
    }

    public void Apply(Span<float> image, int channels, int height, int width, ref SplitMix64 random)
    {
        var (brightness, contrast) = Draw(ref random);
        Apply(image, brightness, contrast);
    }

    /// <summary>Applies drawn factors to one image (all its channels).</summary>
    public static void Apply(Span<float> image, float? brightness, float? contrast)
    {
        if (brightness is { } factor)
        {
            for (int i = 0; i < image.Length; i++)
            {
                image[i] *= factor;
            }
        }
        if (contrast is { } scale)
        {
            double sum = 0;
            foreach (var value in image)
            {
                sum += value;
            }
            float mean = (float)(sum / image.Length);
            for (int i = 0; i < image.Length; i++)
            {
                image[i] = (image[i] - mean) * scale + mean;
            }
        }
    }
}
