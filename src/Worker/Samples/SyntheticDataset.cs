using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Samples;

/// <summary>
/// A learnable synthetic image set: class k is a stripe pattern at angle k·180°/K with random
/// phase, frequency jitter, colour and noise, so a small CNN must learn orientation, not pixels.
/// </summary>
internal static class SyntheticDataset
{
    public static ImageSplit Generate(int count, int size, int channels, int classes, ulong seed)
    {
        var images = new byte[(long)count * size * size * channels];
        var labels = new int[count];
        var colour = new double[channels];
        for (int n = 0; n < count; n++)
        {
            var random = new SplitMix64(SplitMix64.Mix(seed, (ulong)n));
            int label = random.NextInt(classes);
            labels[n] = label;
            double angle = Math.PI * label / classes + (random.NextDouble() - 0.5) * 0.15;
            double frequency = 2 * Math.PI / (size / 4.0) * (0.8 + 0.4 * random.NextDouble());
            double phase = random.NextDouble() * 2 * Math.PI;
            for (int c = 0; c < channels; c++)
            {
                colour[c] = 0.4 + 0.6 * random.NextDouble();
            }
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            long offset = (long)n * size * size * channels;
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    double wave = 0.5 + 0.5 * Math.Sin((x * cos + y * sin) * frequency + phase);
                    for (int c = 0; c < channels; c++)
                    {
                        double noise = (random.NextDouble() - 0.5) * 0.3;
                        images[offset++] = (byte)Math.Clamp((wave * colour[c] + noise) * 255, 0, 255);
                    }
                }
            }
        }
        return new ImageSplit(images, labels, size, size, channels);
    }
}
