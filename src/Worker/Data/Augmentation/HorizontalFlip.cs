using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>Mirrors left-right with probability one half.</summary>
internal sealed class HorizontalFlip : IAugmentation
{
    public void Apply(Span<float> image, int channels, int height, int width, ref SplitMix64 random)
    {
        if (random.NextDouble() >= 0.5)
        {
            return;
        }
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                image.Slice((c * height + y) * width, width).Reverse();
            }
        }
    }
}
