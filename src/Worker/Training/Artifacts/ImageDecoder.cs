using SkiaSharp;

namespace WebTrainer.Worker.Training.Artifacts;

/// <summary>
/// Encoded PNG/JPEG (anything SkiaSharp decodes) to a float CHW image in 0–255 pixel units, as a
/// uint8 dataset stores them: resized to the wanted size (bilinear with mipmaps, so shrinking does
/// not alias) and converted to grey (ITU-R 601 luma, as PIL's "L") or RGB/RGBA.
/// </summary>
internal static class ImageDecoder
{
    public static float[] Decode(ReadOnlySpan<byte> encoded, int channels, int height, int width)
    {
        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "images have 1, 3 or 4 channels");
        }
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new ArgumentException("the bytes are not an image SkiaSharp can decode (PNG, JPEG, ...)", nameof(encoded));
        var rgba = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = SKBitmap.Decode(codec, rgba) ?? throw new ArgumentException("the image could not be decoded", nameof(encoded));
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
