using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// One sample's augmentation: a geometric resample then in-place colour changes, with one random
/// stream seeded from (run seed, epoch, file row) — never from thread or batch — so the result is
/// the same whatever the reader count and on resume. <see cref="Draw"/> gives the parameters alone,
/// for the device path (<see cref="DeviceAugmenter"/>), which applies them to a whole batch.
/// </summary>
internal sealed class ImageAugmenter
{
    private readonly GeometricTransform _geometry;
    private readonly ColorJitter _jitter;
    private readonly ulong _seed;

    public ImageAugmenter(AugmentationSpec spec, ulong seed)
    {
        _geometry = new GeometricTransform(spec);
        _jitter = new ColorJitter(spec);
        _seed = seed;
    }

    public bool Enabled => _geometry.Enabled || _jitter.Enabled;

    /// <summary>Whether <see cref="Apply"/> reads a separate decoded image (it resamples) rather than working in place.</summary>
    public bool Resamples => _geometry.Enabled;

    /// <summary>The parameters of one sample: geometry first, then colour, from the sample's own stream.</summary>
    public AugmentationDraw Draw(int epoch, long row, int height, int width)
    {
        var random = new SplitMix64(SplitMix64.Mix(_seed, (ulong)epoch, (ulong)row));
        var map = _geometry.Enabled ? _geometry.Draw(ref random, width, height) : Affine2D.Identity;
        var (brightness, contrast) = _jitter.Enabled ? _jitter.Draw(ref random) : (null, null);
        return new AugmentationDraw(map, brightness, contrast);
    }

    /// <summary>
    /// Augments one C×H×W image. When <see cref="Resamples"/>, <paramref name="decoded"/> is read and
    /// <paramref name="target"/> written; otherwise <paramref name="target"/> already holds the image.
    /// </summary>
    public void Apply(int epoch, long row, ReadOnlySpan<float> decoded, Span<float> target, int channels, int height, int width)
    {
        var draw = Draw(epoch, row, height, width);
        if (_geometry.Enabled)
        {
            if (draw.Map.IsIdentity)
            {
                decoded.CopyTo(target);
            }
            else
            {
                AffineWarp.Apply(decoded, target, channels, height, width, draw.Map);
            }
        }
        ColorJitter.Apply(target, draw.Brightness, draw.Contrast);
    }
}
