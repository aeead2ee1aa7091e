namespace WebTrainer.Worker.Samples;

/// <summary>Images (N,H,W,C uint8, flattened) and integer labels of one split, in memory.</summary>
internal sealed record ImageSplit(byte[] Images, int[] Labels, int Height, int Width, int Channels)
{
    public int Count => Labels.Length;

    public long ImageBytes => (long)Height * Width * Channels;

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public ImageSplit Take(ReadOnlySpan<long> indices)
    {
        var images = new byte[indices.Length * ImageBytes];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Array.Copy(Images, indices[i] * ImageBytes, images, i * ImageBytes, ImageBytes);
            labels[i] = Labels[indices[i]];
        }
        return this with { Images = images, Labels = labels };
    }
}
