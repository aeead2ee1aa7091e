using System.Runtime.InteropServices;
using SkiaSharp;

namespace WebTrainer.Worker.Helpers;

/// <summary>A planar float image (CHW, [0,1]) as a PNG, each pixel repeated <c>scale</c> times in both directions.</summary>
internal static class PngEncoder
{
    public static byte[] Encode(float[] chw, int channels, int height, int width, int scale)
    {
        int outWidth = width * scale;
        int outHeight = height * scale;
        var rgba = new byte[(long)outWidth * outHeight * 4];
        int plane = height * width;
        static byte Byte(float v) => (byte)Math.Clamp(MathF.Round(v * 255), 0, 255);
        for (int y = 0; y < outHeight; y++)
        {
            var line = rgba.AsSpan(y * outWidth * 4, outWidth * 4);
            int source = (y / scale) * width;
            for (int x = 0; x < outWidth; x++)
            {
                int i = source + x / scale;
                byte r = Byte(chw[i]);
                line[x * 4] = r;
                line[x * 4 + 1] = channels >= 3 ? Byte(chw[plane + i]) : r;
                line[x * 4 + 2] = channels >= 3 ? Byte(chw[2 * plane + i]) : r;
                line[x * 4 + 3] = 255;
            }
        }
        var info = new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixels = new SKPixmap(info, handle.AddrOfPinnedObject(), outWidth * 4);
            using var data = pixels.Encode(SKEncodedImageFormat.Png, 100)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode a {outWidth}x{outHeight} PNG");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
