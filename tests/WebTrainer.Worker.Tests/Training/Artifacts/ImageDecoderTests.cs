using SkiaSharp;
using WebTrainer.Testing;
using WebTrainer.Worker.Training.Artifacts;
using Xunit.Abstractions;

namespace WebTrainer.Worker.Tests.Training.Artifacts;

public sealed class ImageDecoderTests(ITestOutputHelper output)
{
    [Fact]
    public void Decode_APngDeclaring40000x40000_IsRefusedFromItsHeader_BeforeAnyBitmapIsAllocated()
    {
        var bomb = HostileImages.PngBomb();
        Decode(Encoded(SKEncodedImageFormat.Png, 16, 16), 8, 8); // warm up: JIT and Skia's codecs

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var problem = Assert.Throws<ArgumentException>(() => ImageDecoder.Decode(bomb, 3, 32, 32));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"a {bomb.Length}-byte PNG declaring 40000x40000: refused after {allocated} managed bytes");
        Assert.Contains("40000x40000", problem.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 16L << 20); // the bitmap it declares is 6.4 GB
    }

    [Fact]
    public void Decode_AnImageAboveALowerPixelLimit_IsRefused_AndBelowItDecodes()
    {
        var png = Encoded(SKEncodedImageFormat.Png, 64, 48);

        Assert.Equal(3 * 24 * 32, ImageDecoder.Decode(png, 3, 24, 32, maxPixels: 64 * 48).Length);
        var problem = Assert.Throws<ArgumentException>(() => ImageDecoder.Decode(png, 3, 24, 32, maxPixels: 64 * 48 - 1));
        Assert.Contains("64x48", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ALargeJpegToASmallTarget_DecodesAtAReducedScaleWithTheSameColours()
    {
        // A flat colour survives JPEG and any scale, so the reduced decode must give the colour back.
        var jpeg = Encoded(SKEncodedImageFormat.Jpeg, 1024, 768);
        using (var codec = SKCodec.Create(SKData.CreateCopy(jpeg)))
        {
            Assert.True(codec.GetScaledDimensions(0.125f).Width < 1024, "libjpeg-turbo scales JPEG in the decoder");
        }

        var chw = ImageDecoder.Decode(jpeg, 3, 24, 32);

        Assert.Equal(3 * 24 * 32, chw.Length);
        Assert.InRange(chw[0], 200 - 8, 200 + 8);
        Assert.InRange(chw[24 * 32], 60 - 8, 60 + 8);
        Assert.InRange(chw[2 * 24 * 32], 20 - 8, 20 + 8);
    }

    private static float[] Decode(byte[] encoded, int height, int width) => ImageDecoder.Decode(encoded, 3, height, width);

    private static byte[] Encoded(SKEncodedImageFormat format, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(200, 60, 20));
        using var encoded = bitmap.Encode(format, 95);
        return encoded.ToArray();
    }
}
