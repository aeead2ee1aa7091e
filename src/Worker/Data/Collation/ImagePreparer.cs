using System.Runtime.InteropServices;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// One image from its stored row to model input on the CPU, in one pass that keeps the image in cache:
/// decode to float32 C×H×W with the rescale, augment (when there is an augmenter), standardise. The
/// collator runs it on the reader threads for CPU batches; the device augmenter runs the same one for a
/// stored batch when the training device is the CPU, so the two paths give the same bits there. A uint8
/// image that is resampled is warped straight from its bytes (<see cref="AffineWarp.ApplyBytes"/>): no decode
/// pass, and for interleaved RGB one gather per neighbour instead of three.
/// </summary>
internal sealed class ImagePreparer
{
    private readonly ImageGeometryInfo _geometry;
    private readonly PixelDecoder _decoder;
    private readonly ImageAugmenter? _augmenter;

    public ImagePreparer(ImageGeometryInfo geometry, PixelNormalizer normalizer, ImageAugmenter? augmenter)
    {
        _geometry = geometry;
        _decoder = new PixelDecoder(geometry, normalizer.Rescale);
        _augmenter = augmenter is { Enabled: true } ? augmenter : null;
        Normalizer = normalizer;
        FloatsPerImage = geometry.Channels * geometry.Height * geometry.Width;
    }

    public PixelNormalizer Normalizer { get; }

    public ImageGeometryInfo Geometry => _geometry;

    public int FloatsPerImage { get; }

    /// <summary>Whether <see cref="Prepare"/> needs a scratch image of <see cref="FloatsPerImage"/> (it resamples).</summary>
    public bool NeedsScratch => _augmenter is { Resamples: true };

    /// <summary>Writes sample <paramref name="row"/>'s model input for <paramref name="epoch"/> into <paramref name="target"/>.</summary>
    /// <param name="raw">The row as stored, <see cref="ImageGeometryInfo.RowBytes"/> long.</param>
    /// <param name="scratch">At least <see cref="FloatsPerImage"/> when <see cref="NeedsScratch"/>; otherwise unused.</param>
    public void Prepare(int epoch, long row, ReadOnlySpan<byte> raw, Span<float> target, Span<float> scratch)
    {
        int c = _geometry.Channels, h = _geometry.Height, w = _geometry.Width;
        if (NeedsScratch && _geometry.PixelType == PixelType.UInt8)
        {
            var draw = _augmenter!.Draw(epoch, row, h, w);
            if (draw.Map.IsIdentity)
            {
                _decoder.Decode(raw, target);
            }
            else
            {
                // The row copied where the warp's 32-bit gathers may read past its last byte.
                var padded = MemoryMarshal.AsBytes(scratch[..FloatsPerImage])[..(raw.Length + AffineWarp.BytePadding)];
                raw.CopyTo(padded);
                AffineWarp.ApplyBytes(padded, target, c, h, w, interleaved: _geometry.Layout == ImageLayout.Nhwc && c > 1, Normalizer.Rescale, draw.Map);
            }
            ColorJitter.Apply(target, draw.Brightness, draw.Contrast);
        }
        else if (NeedsScratch)
        {
            var decoded = scratch[..FloatsPerImage];
            _decoder.Decode(raw, decoded);
            _augmenter!.Apply(epoch, row, decoded, target, c, h, w);
        }
        else
        {
            _decoder.Decode(raw, target);
            _augmenter?.Apply(epoch, row, target, target, c, h, w);
        }
        Standardize(target);
    }

    private void Standardize(Span<float> chw)
    {
        if (Normalizer is not { Scale: { } scale, Shift: { } shift })
        {
            return;
        }
        int plane = _geometry.Height * _geometry.Width;
        for (int ch = 0; ch < _geometry.Channels; ch++)
        {
            PixelKernels.ScaleShift(chw.Slice(ch * plane, plane), scale[ch], shift[ch]);
        }
    }
}
