using SkiaSharp;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Web.Datasets;

/// <summary>
/// Renders rows of an image dataset to PNG, as stored or as the train split's augmentation would
/// change them at a given epoch — the same augmenter, seeded the same way, as training uses.
/// </summary>
internal sealed class SamplePreview(DataRoots roots)
{
    public const int MaxRows = 64;

    /// <summary>PNGs of <paramref name="rows"/>; each image is enlarged (nearest pixel) to at least <paramref name="minSize"/> pixels.</summary>
    public IReadOnlyList<byte[]> Render(string file, string dataset, IReadOnlyList<long> rows, AugmentationSpec? augmentation,
        int seed, int epoch, int minSize = 96)
    {
        if (rows.Count is 0 or > MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"ask for 1 to {MaxRows} rows");
        }
        var images = ImageDataset.Open(roots.ResolveExisting(file), dataset);
        foreach (var row in rows)
        {
            if (row < 0 || row >= images.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), $"row {row} is outside '{dataset}' (0..{images.Count - 1})");
            }
        }
        var geometry = ImageGeometryInfo.Of(images);
        var (c, h, w) = (images.Channels, images.Height, images.Width);
        var raw = new byte[images.RowBytes];
        var decoded = new float[c * h * w];
        var augmented = new float[c * h * w];
        // Display units: uint8 images to [0,1]; float images are shown as they are, assumed [0,1].
        var decoder = new PixelDecoder(geometry, images.PixelType == PixelType.UInt8 ? 1f / 255 : 1f);
        var augmenter = augmentation is null ? null : new ImageAugmenter(augmentation, (ulong)seed);
        using var reader = images.OpenReader();
        var pngs = new List<byte[]>(rows.Count);
        foreach (var row in rows)
        {
            images.ReadRows(reader, [row], raw);
            decoder.Decode(raw, decoded);
            var shown = decoded;
            if (augmenter is { Enabled: true })
            {
                if (!augmenter.Resamples)
                {
                    decoded.CopyTo(augmented, 0);
                }
                augmenter.Apply(epoch, row, decoded, augmented, c, h, w);
                shown = augmented;
            }
            pngs.Add(Encode(shown, c, h, w, Math.Max(1, minSize / Math.Max(h, w))));
        }
        return pngs;
    }

    private static byte[] Encode(float[] chw, int channels, int height, int width, int scale)
    {
        using var bitmap = new SKBitmap(width * scale, height * scale, SKColorType.Rgba8888, SKAlphaType.Opaque);
        int plane = height * width;
        static byte Byte(float v) => (byte)Math.Clamp(MathF.Round(v * 255), 0, 255);
        for (int y = 0; y < height * scale; y++)
        {
            for (int x = 0; x < width * scale; x++)
            {
                int i = (y / scale) * width + x / scale;
                byte r = Byte(chw[i]);
                byte g = channels >= 3 ? Byte(chw[plane + i]) : r;
                byte b = channels >= 3 ? Byte(chw[2 * plane + i]) : r;
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
