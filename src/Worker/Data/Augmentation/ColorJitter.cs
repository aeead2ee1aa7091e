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

    public void Apply(Span<float> image, int channels, int height, int width, ref SplitMix64 random)
    {
        if (spec.BrightnessRange > 0)
        {
            float factor = (float)(1 + (random.NextDouble() * 2 - 1) * spec.BrightnessRange);
            for (int i = 0; i < image.Length; i++)
            {
                image[i] *= factor;
            }
        }
        if (spec.ContrastRange > 0)
        {
            float factor = (float)(1 + (random.NextDouble() * 2 - 1) * spec.ContrastRange);
            double sum = 0;
            foreach (var value in image)
            {
                sum += value;
            }
            float mean = (float)(sum / image.Length);
            for (int i = 0; i < image.Length; i++)
            {
                image[i] = (image[i] - mean) * factor + mean;
            }
        }
    }
}
