using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// One sample's augmentation: a geometric resample then in-place colour changes, with one random
/// stream seeded from (run seed, epoch, file row) — never from thread or batch — so the result is
/// the same whatever the reader count and on resume.
/// </summary>
internal sealed class ImageAugmenter
{
    private readonly GeometricTransform _geometry;
    private readonly IReadOnlyList<IAugmentation> _inPlace;
    private readonly ulong _seed;

    public ImageAugmenter(AugmentationSpec spec, ulong seed)
    {
        _geometry = new GeometricTransform(spec);
        var jitter = new ColorJitter(spec);
        _inPlace = jitter.Enabled ? [jitter] : [];
        _seed = seed;
    }

    public bool Enabled => _geometry.Enabled || _inPlace.Count > 0;

    /// <summary>Whether <see cref="Apply"/> reads a separate decoded image (it resamples) rather than working in place.</summary>
    public bool Resamples => _geometry.Enabled;

    /// <summary>
    /// Augments one C×H×W image. When <see cref="Resamples"/>, <paramref name="decoded"/> is read and
    /// <paramref name="target"/> written; otherwise <paramref name="target"/> already holds the image.
    /// </summary>
    public void Apply(int epoch, long row, ReadOnlySpan<float> decoded, Span<float> target, int channels, int height, int width)
    {
        var random = new SplitMix64(SplitMix64.Mix(_seed, (ulong)epoch, (ulong)row));
        if (_geometry.Enabled)
        {
            var map = _geometry.Draw(ref random, width, height);
            if (map.IsIdentity)
            {
                decoded.CopyTo(target);
            }
            else
            {
                AffineWarp.Apply(decoded, target, channels, height, width, map);
            }
        }
        foreach (var augmentation in _inPlace)
        {
            augmentation.Apply(target, channels, height, width, ref random);
        }
    }
}
