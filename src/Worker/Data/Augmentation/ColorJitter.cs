using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data.Collation;
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

    /// <summary>
    /// <see cref="Apply(Span{float}, float?, float?)"/> and then <c>x * scale[c] + shift[c]</c> (when given) over an H×W×C
    /// image, in one pass that writes (and one that only reads, for the contrast's mean): the same operations on every
    /// value in the same order, so the same bits as the separate passes.
    /// </summary>
    public static void ApplyChannelsLast(Span<float> hwc, int channels, float? brightness, float? contrast, float[]? scale, float[]? shift)
    {
        bool standardize = scale is not null && shift is not null;
        if (channels != 3 || !Vector256.IsHardwareAccelerated)
        {
            Apply(hwc, brightness, contrast);
            if (standardize)
            {
                PixelKernels.ScaleShiftChannelsLast(hwc, channels, scale!, shift!);
            }
            return;
        }
        float mean = contrast is null ? 0 : (float)(Sum(hwc, brightness) / hwc.Length);
        float b = brightness ?? 1, k = contrast ?? 1;
        // Three vectors hold 8 whole pixels: channel c of value j is (8·v + j) mod 3.
        var (s0, s1, s2) = standardize ? PixelKernels.PeriodicRgb(scale!) : (Vector256<float>.One, Vector256<float>.One, Vector256<float>.One);
        var (t0, t1, t2) = standardize ? PixelKernels.PeriodicRgb(shift!) : (Vector256<float>.Zero, Vector256<float>.Zero, Vector256<float>.Zero);
        var bv = Vector256.Create(b);
        var kv = Vector256.Create(k);
        var mv = Vector256.Create(mean);
        ref float start = ref MemoryMarshal.GetReference(hwc);
        int i = 0;
        // The switched-off steps are skipped, not done with identity factors: (x − 0)·1 + 0 is not x for −0.
        bool bright = brightness is not null, contrasts = contrast is not null;
        for (; i + 24 <= hwc.Length; i += 24)
        {
            ref float at = ref Unsafe.Add(ref start, i);
            var x0 = Vector256.LoadUnsafe(ref at);
            var x1 = Vector256.LoadUnsafe(ref at, 8);
            var x2 = Vector256.LoadUnsafe(ref at, 16);
            if (bright)
            {
                x0 *= bv;
                x1 *= bv;
                x2 *= bv;
            }
            if (contrasts)
            {
                x0 = (x0 - mv) * kv + mv;
                x1 = (x1 - mv) * kv + mv;
                x2 = (x2 - mv) * kv + mv;
            }
            if (standardize)
            {
                x0 = x0 * s0 + t0;
                x1 = x1 * s1 + t1;
                x2 = x2 * s2 + t2;
            }
            x0.StoreUnsafe(ref at);
            x1.StoreUnsafe(ref at, 8);
            x2.StoreUnsafe(ref at, 16);
        }
        for (; i < hwc.Length; i++)
        {
            float x = hwc[i];
            if (brightness is not null)
            {
                x *= b;
            }
            if (contrast is not null)
            {
                x = (x - mean) * k + mean;
            }
            if (standardize)
            {
                x = x * scale![i % 3] + shift![i % 3];
            }
            hwc[i] = x;
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

    /// <summary>Σ value (times <paramref name="factor"/> first, rounded to float, when given), in a fixed order.</summary>
    private static double Sum(ReadOnlySpan<float> image, float? factor = null)
    {
        var low = Vector256<double>.Zero;
        var high = Vector256<double>.Zero;
        bool scaled = factor.HasValue;
        float scalar = factor.GetValueOrDefault(1);
        var f = Vector256.Create(scalar);
        ref float start = ref MemoryMarshal.GetReference(image);
        int i = 0;
        for (; i + Vector256<float>.Count <= image.Length; i += Vector256<float>.Count)
        {
            var values = Vector256.LoadUnsafe(ref start, (nuint)i);
            var (l, h) = Vector256.Widen(scaled ? values * f : values);
            low += l;
            high += h;
        }
        var lanes = low + high;
        // Lane by lane, in this order: Vector256.Sum's order may differ between hardware and software paths.
        double sum = lanes[0] + lanes[1] + lanes[2] + lanes[3];
        for (; i < image.Length; i++)
        {
            sum += scaled ? image[i] * scalar : image[i];
        }
        return sum;
    }
}
