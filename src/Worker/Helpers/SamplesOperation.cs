using WebTrainer.Shared.Helpers;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Helpers;

/// <summary>
/// Rows of an image dataset as PNGs, as stored or as the train split's augmentation would change
/// them at a given epoch — the same augmenter, seeded the same way, as training uses. Images above
/// <see cref="MaxPixels"/> are refused before anything is allocated for them: a file can declare
/// 40000x40000x3 images in a few bytes.
/// </summary>
internal static class SamplesOperation
{
    public const int MaxRows = 64;

    /// <summary>Pixels per image a preview decodes (2048x2048); larger images are refused with their size named.</summary>
    public const long MaxPixels = 2048L * 2048;

    public static SamplesAnswer Run(SamplesRequest request, CancellationToken cancellationToken)
    {
        var rows = request.Rows;
        if (rows.Count is 0 or > MaxRows)
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"ask for 1 to {MaxRows} rows");
        }
        var images = ImageDataset.Open(request.File, request.Images);
        foreach (var row in rows)
        {
            if (row < 0 || row >= images.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(request), $"row {row} is outside '{request.Images}' (0..{images.Count - 1})");
            }
        }
        var (c, h, w) = (images.Channels, images.Height, images.Width);
        if ((long)h * w > MaxPixels)
        {
            throw new DatasetProblemException(request.File, request.Images,
                $"its images are {h}x{w} pixels; previews show images of at most {MaxPixels} pixels");
        }
        var raw = new byte[images.RowBytes];
        var decoded = new float[c * h * w];
        var augmented = new float[c * h * w];
        // Display units: uint8 images to [0,1]; float images are shown as they are, assumed [0,1].
        var decoder = new PixelDecoder(ImageGeometryInfo.Of(images), images.PixelType == PixelType.UInt8 ? 1f / 255 : 1f);
        var augmenter = request.Augmentation is null ? null : new ImageAugmenter(request.Augmentation, (ulong)request.Seed);
        // Small images are enlarged for the eye; large ones are shown at their own size, never larger.
        int scale = Math.Max(1, request.MinSize / Math.Max(h, w));
        using var reader = images.OpenReader();
        var pngs = new List<byte[]>(rows.Count);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            images.ReadRows(reader, [row], raw);
            decoder.Decode(raw, decoded);
            var shown = decoded;
            if (augmenter is { Enabled: true })
            {
                if (!augmenter.Resamples)
                {
                    decoded.CopyTo(augmented, 0);
                }
                augmenter.Apply(request.Epoch, row, decoded, augmented, c, h, w);
                shown = augmented;
            }
            pngs.Add(PngEncoder.Encode(shown, c, h, w, scale));
        }
        IReadOnlyList<int>? classes = null;
        if (!string.IsNullOrEmpty(request.Labels))
        {
            var labels = LabelDataset.Read(request.File, request.Labels);
            classes = rows.Select(r => r < labels.Count ? labels.Classes[(int)r] : -1).ToList();
        }
        return new SamplesAnswer(pngs, classes);
    }
}
