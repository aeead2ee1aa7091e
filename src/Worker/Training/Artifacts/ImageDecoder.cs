using SkiaSharp;

namespace WebTrainer.Worker.Training.Artifacts;

/// <summary>
/// Encoded PNG/JPEG (anything SkiaSharp decodes) to a float CHW image in 0–255 pixel units, as a
/// uint8 dataset stores them: resized to the wanted size (bilinear with mipmaps, so shrinking does
/// not alias) and converted to grey (ITU-R 601 luma, as PIL's "L") or RGB/RGBA.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>Pixels an image's header may declare: 64 megapixels, 256 MB as RGBA.</summary>
    public const long MaxPixels = 64L << 20;

    /// <summary>Encoded bytes accepted: far above any photo, far below what would strain a helper process.</summary>
    public const long MaxEncodedBytes = 64L << 20;

    /// <param name="maxPixels">Tests shrink the pixel limit; the header is checked against it before any pixel is decoded.</param>
    public static float[] Decode(ReadOnlySpan<byte> encoded, int channels, int height, int width, long maxPixels = MaxPixels)
    {
        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "images have 1, 3 or 4 channels");
        }
        if (encoded.Length > MaxEncodedBytes)
        {
            throw new ArgumentException($"the image is {encoded.Length} bytes, more than the limit of {MaxEncodedBytes}", nameof(encoded));
        }
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new ArgumentException("the bytes are not an image SkiaSharp can decode (PNG, JPEG, ...)", nameof(encoded));
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > maxPixels)
        {
            throw new ArgumentException($"the image declares {info.Width}x{info.Height} pixels, more than the limit of {maxPixels} " +
                "pixels; resize it before uploading", nameof(encoded));
        }
        // JPEG decodes at 1/2, 1/4 or 1/8 for free: ask for the smallest size still at least the target, so memory follows the target.
        var size = info.Size;
        for (float scale = 0.125f; scale < 1; scale *= 2)
        {
            var scaled = codec.GetScaledDimensions(scale);
            if (scaled.Width >= width && scaled.Height >= height)
            {
                size = scaled;
                break;
            }
        }
        var rgba = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = new SKBitmap(rgba);
        var result = codec.GetPixels(rgba, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new ArgumentException($"the image could not be decoded ({result})", nameof(encoded));
        }
        using var resized = decoded.Width == width && decoded.Height == height ? null
            : decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
              ?? throw new ArgumentException($"the image could not be resized to {width}x{height}", nameof(encoded));
        var bitmap = resized ?? decoded;

        var pixels = bitmap.GetPixelSpan();
        int stride = bitmap.RowBytes, plane = height * width;
        var chw = new float[channels * plane];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var p = pixels.Slice(y * stride + x * 4, 4);
                int at = y * width + x;
                if (channels == 1)
                {
                    chw[at] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
                    continue;
                }
                for (int c = 0; c < channels; c++)
                {
                    chw[c * plane + at] = p[c];
                }
            }
        }
        return chw;
    }
}
