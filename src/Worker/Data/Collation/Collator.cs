using System.Diagnostics;
using TorchSharp;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// Turns raw rows into a training batch: decode to float32, N,H,W,C → C,H,W, rescale, augment,
/// normalise, and make the two tensors. The only stage that creates tensors.
/// </summary>
internal sealed class Collator(ImageGeometryInfo geometry, float rescale, float[]? mean, float[]? std,
    IReadOnlyList<IAugmentation> augmentations, ulong seed, PipelineStats stats)
{
    public long FloatsPerImage { get; } = (long)geometry.Channels * geometry.Height * geometry.Width;

    public Batch Collate(int epoch, int index, long[] rows, int[] labels, ReadOnlySpan<byte> raw)
    {
        var start = Stopwatch.GetTimestamp();
        var pixels = new float[rows.Length * FloatsPerImage];
        for (int i = 0; i < rows.Length; i++)
        {
            var image = pixels.AsSpan((int)(i * FloatsPerImage), (int)FloatsPerImage);
            Decode(raw.Slice((int)(i * geometry.RowBytes), (int)geometry.RowBytes), image);
            if (augmentations.Count > 0)
            {
                var random = new SplitMix64(SplitMix64.Mix(seed, (ulong)epoch, (ulong)rows[i]));
                foreach (var augmentation in augmentations)
                {
                    augmentation.Apply(image, geometry.Channels, geometry.Height, geometry.Width, ref random);
                }
            }
            Normalize(image);
        }
        stats.AddAugment(Stopwatch.GetElapsedTime(start).Ticks, rows.Length);

        var images = torch.tensor(pixels, [rows.Length, geometry.Channels, geometry.Height, geometry.Width]);
        var targets = torch.tensor(Array.ConvertAll(labels, l => (long)l), [rows.Length]);
        return new Batch(epoch, index, rows, images, targets);
    }

    private void Decode(ReadOnlySpan<byte> row, Span<float> chw)
    {
        int c = geometry.Channels, h = geometry.Height, w = geometry.Width;
        bool nhwc = geometry.Layout == ImageLayout.Nhwc;
        switch (geometry.PixelType)
        {
            case PixelType.UInt8:
                if (nhwc)
                {
                    for (int y = 0, src = 0; y < h; y++)
                    {
                        for (int x = 0; x < w; x++)
                        {
                            for (int ch = 0; ch < c; ch++, src++)
                            {
                                chw[(ch * h + y) * w + x] = row[src] * rescale;
                            }
                        }
                    }
                }
                else
                {
                    for (int i = 0; i < chw.Length; i++)
                    {
                        chw[i] = row[i] * rescale;
                    }
                }
                break;
            default:
                var values = new float[chw.Length];
                if (geometry.PixelType == PixelType.Float32)
                {
                    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(row).CopyTo(values);
                }
                else
                {
                    var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(row);
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] = (float)halves[i];
                    }
                }
                for (int i = 0; i < values.Length; i++)
                {
                    int target = nhwc ? ((i % c) * h + i / c / w) * w + (i / c) % w : i;
                    chw[target] = values[i] * rescale;
                }
                break;
        }
    }

    private void Normalize(Span<float> chw)
    {
        if (mean is null || std is null)
        {
            return;
        }
        int plane = geometry.Height * geometry.Width;
        for (int ch = 0; ch < geometry.Channels; ch++)
        {
            float m = mean[ch], s = std[ch];
            var values = chw.Slice(ch * plane, plane);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (values[i] - m) / s;
            }
        }
    }
}

/// <summary>What the collator needs to know of the image dataset.</summary>
internal sealed record ImageGeometryInfo(int Channels, int Height, int Width, ImageLayout Layout, PixelType PixelType, long RowBytes)
{
    public static ImageGeometryInfo Of(ImageDataset images) =>
        new(images.Channels, images.Height, images.Width, images.Layout, images.PixelType, images.RowBytes);
}
