using System.Runtime.Intrinsics;
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

    /// <summary>
    /// Applies drawn factors to one image (all its channels). Vectorised with a fixed width and the
    /// mean summed in double over fixed lanes, so the result is the same bits on every machine.
    /// </summary>
    public static void Apply(Span<float> image, float? brightness, float? contrast)
    {
        if (brightness is { } factor)
        {
            Scale(image, factor);
        }
        if (contrast is { } scale)
        {
            float mean = (float)(Sum(image) / image.Length);
            // (v − mean)·scale + mean, as v·scale + (mean − mean·scale) would round differently.
            int i = 0;
            var m = Vector256.Create(mean);
            var s = Vector256.Create(scale);
            for (; i + Vector256<float>.Count <= image.Length; i += Vector256<float>.Count)
            {
                var values = Vector256.Create((ReadOnlySpan<float>)image.Slice(i, Vector256<float>.Count));
                ((values - m) * s + m).CopyTo(image.Slice(i, Vector256<float>.Count));
            }
            for (; i < image.Length; i++)
            {
                image[i] = (image[i] - mean) * scale + mean;
            }
        }
    }

    private static void Scale(Span<float> image, float factor)
    {
        int i = 0;
        var f = Vector256.Create(factor);
        for (; i + Vector256<float>.Count <= image.Length; i += Vector256<float>.Count)
        {
            (Vector256.Create((ReadOnlySpan<float>)image.Slice(i, Vector256<float>.Count)) * f).CopyTo(image.Slice(i, Vector256<float>.Count));
        }
        for (; i < image.Length; i++)
        {
            image[i] *= factor;
        }
    }

    private static double Sum(ReadOnlySpan<float> image)
    {
        var low = Vector256<double>.Zero;
        var high = Vector256<double>.Zero;
        int i = 0;
        for (; i + Vector256<float>.Count <= image.Length; i += Vector256<float>.Count)
        {
            var (l, h) = Vector256.Widen(Vector256.Create(image.Slice(i, Vector256<float>.Count)));
            low += l;
            high += h;
        }
        var lanes = low + high;
        // Lane by lane, in this order: Vector256.Sum's order may differ between hardware and software paths.
        double sum = lanes[0] + lanes[1] + lanes[2] + lanes[3];
        for (; i < image.Length; i++)
        {
            sum += image[i];
        }
        return sum;
    }
}
