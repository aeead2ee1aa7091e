using WebTrainer.Worker.Data.Collation;

namespace WebTrainer.Worker.Tests.Data.Collation;

public sealed class PixelKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)] // SIMD body plus a scalar tail
    [InlineData(89401)] // 299 × 299
    public void RgbToPlanes_MatchesTheScalarDefinition(int pixels)
    {
        var rgb = Data.TestFiles.Bytes(pixels * 3, pixels);
        float[] r = new float[pixels], g = new float[pixels], b = new float[pixels];

        PixelKernels.RgbToPlanes(rgb, r, g, b, 1f / 255);

        for (int p = 0; p < pixels; p++)
        {
            Assert.Equal(rgb[p * 3] * (1f / 255), r[p]);
            Assert.Equal(rgb[p * 3 + 1] * (1f / 255), g[p]);
            Assert.Equal(rgb[p * 3 + 2] * (1f / 255), b[p]);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(100)]
    public void BytesToFloats_AndScaleShift_MatchTheScalarDefinition(int length)
    {
        var bytes = Data.TestFiles.Bytes(length, 3);
        var floats = new float[length];

        PixelKernels.BytesToFloats(bytes, floats, 0.5f);
        Assert.Equal(bytes.Select(v => v * 0.5f), floats);

        var expected = floats.Select(v => v * 2f + -1f).ToArray();
        PixelKernels.ScaleShift(floats, 2f, -1f);
        Assert.Equal(expected, floats);
    }
}
