using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// One random transform of one image held as float32 C×H×W. Randomness comes only from
/// <paramref name="random"/>, which the pipeline seeds from (run seed, epoch, sample row), so the
/// result does not depend on threads or reader counts.
/// </summary>
internal interface IAugmentation
{
    void Apply(Span<float> image, int channels, int height, int width, ref SplitMix64 random);
}
