using System.Runtime.InteropServices;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Data.Collation;

/// <summary>
/// One image from its stored row to model input on the CPU, in one pass that keeps the image in cache:
/// decode to float32 C×H×W with the rescale, augment (when there is an augmenter), then standardise on the way
/// into the target, which is H×W×C (<see cref="ChannelsLast"/>, the layout the model takes, so nobody copies the
/// batch again). The collator runs it on the reader threads for CPU batches; the device augmenter runs the same one
/// for a stored batch when the training device is the CPU, so the two paths give the same bits there. A uint8
/// image that is resampled is warped straight from its bytes in fixed point (<see cref="AffineWarp.ApplyBytes"/>): no
/// decode pass; interleaved RGB and RGBA go straight into the target's H×W×C, one gather per neighbour for all channels.
/// </summary>
internal sealed class ImagePreparer
{
    private readonly ImageGeometryInfo _geometry;
    private readonly PixelDecoder _decoder;
    private readonly ImageAugmenter? _augmenter;
    private readonly bool _warpsChannelsLast;
    private readonly int _inputFloats;

    public ImagePreparer(ImageGeometryInfo geometry, PixelNormalizer normalizer, ImageAugmenter? augmenter)
    {
        _geometry = geometry;
        _decoder = new PixelDecoder(geometry, normalizer.Rescale);
        _augmenter = augmenter is { Enabled: true } ? augmenter : null;
        Normalizer = normalizer;
        FloatsPerImage = geometry.Channels * geometry.Height * geometry.Width;
        bool resamples = _augmenter is { Resamples: true };
        _warpsChannelsLast = geometry.PixelType == PixelType.UInt8 && geometry.Layout == ImageLayout.Nhwc && AffineWarp.WarpsChannelsLast(geometry.Channels);
        // One image for the resample's input (decoded floats, or the stored bytes with the warp's padding: more floats
        // than the image has values only for a one-value image), one for the C×H×W image before it goes channels last;
        // a one-channel image is the same memory either way and is worked on in the target.
        _inputFloats = resamples ? Math.Max(FloatsPerImage, (FloatsPerImage + AffineWarp.BytePadding + sizeof(float) - 1) / sizeof(float)) : 0;
        ScratchFloats = _inputFloats + (geometry.Channels > 1 ? FloatsPerImage : 0);
    }

    public PixelNormalizer Normalizer { get; }

    public ImageGeometryInfo Geometry => _geometry;

    public int FloatsPerImage { get; }

    /// <summary>How many floats of scratch <see cref="Prepare"/> needs (0: none).</summary>
    public int ScratchFloats { get; }

    /// <summary>Writes sample <paramref name="row"/>'s model input for <paramref name="epoch"/>, H×W×C, into <paramref name="target"/>.</summary>
    /// <param name="raw">The row as stored, <see cref="ImageGeometryInfo.RowBytes"/> long.</param>
    /// <param name="scratch">At least <see cref="ScratchFloats"/>; not read.</param>
    public void Prepare(int epoch, long row, ReadOnlySpan<byte> raw, Span<float> target, Span<float> scratch)
    {
        int c = _geometry.Channels, h = _geometry.Height, w = _geometry.Width, n = FloatsPerImage;
        bool resamples = _augmenter is { Resamples: true };
        var input = scratch[.._inputFloats];
        var image = c == 1 ? target[..n] : scratch.Slice(_inputFloats, n);
        if (resamples && _geometry.PixelType == PixelType.UInt8)
        {
            var draw = _augmenter!.Draw(epoch, row, h, w);
            if (draw.Map.IsIdentity)
            {
                _decoder.Decode(raw, image);
            }
            else
            {
                // The row copied where the warp's gathers may read past its last byte.
                var padded = MemoryMarshal.AsBytes(input)[..(raw.Length + AffineWarp.BytePadding)];
                raw.CopyTo(padded);
                if (_warpsChannelsLast)
                {
                    // Warped straight into the target's H×W×C: nothing to transpose.
                    var hwc = target[..n];
                    AffineWarp.ApplyBytesChannelsLast(padded, hwc, c, h, w, Normalizer.Rescale, draw.Map);
                    ColorJitter.ApplyChannelsLast(hwc, c, draw.Brightness, draw.Contrast, Normalizer.Scale, Normalizer.Shift);
                    return;
                }
                AffineWarp.ApplyBytes(padded, image, c, h, w, interleaved: _geometry.Layout == ImageLayout.Nhwc && c > 1, Normalizer.Rescale, draw.Map);
            }
            ColorJitter.Apply(image, draw.Brightness, draw.Contrast);
        }
        else if (resamples)
        {
            var decoded = input[..n];
            _decoder.Decode(raw, decoded);
            _augmenter!.Apply(epoch, row, decoded, image, c, h, w);
        }
        else
        {
            _decoder.Decode(raw, image);
            _augmenter?.Apply(epoch, row, image, image, c, h, w);
        }
        if (c == 1)
        {
            Standardize(image);
        }
        else
        {
            PixelKernels.ToChannelsLast(image, target[..n], c, Normalizer.Scale, Normalizer.Shift);
        }
    }

    private void Standardize(Span<float> chw)
    {
        if (Normalizer is not { Scale: { } scale, Shift: { } shift })
        {
            return;
        }
        PixelKernels.ScaleShift(chw, scale[0], shift[0]);
    }
}
