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

    [Theory]
    [InlineData(3, 1, true)]
    [InlineData(3, 8, true)]
    [InlineData(3, 37, true)] // eight-pixel body plus a tail
    [InlineData(3, 4096, false)]
    [InlineData(2, 37, true)]
    [InlineData(4, 37, true)]
    [InlineData(5, 11, false)]
    public void ToChannelsLast_MovesEveryValue_AndStandardisesAsScaleShiftDoes(int channels, int pixels, bool standardize)
    {
        var random = new Random(channels * 1000 + pixels);
        var chw = Enumerable.Range(0, channels * pixels).Select(_ => (float)(random.NextDouble() * 2 - 0.5)).ToArray();
        float[]? scale = standardize ? Enumerable.Range(0, channels).Select(c => 1 / (0.2f + 0.1f * c)).ToArray() : null;
        float[]? shift = standardize ? Enumerable.Range(0, channels).Select(c => -0.4f - 0.05f * c).ToArray() : null;
        var hwc = new float[channels * pixels];

        PixelKernels.ToChannelsLast(chw, hwc, channels, scale, shift);

        // What the planes would hold after ScaleShift in place, bit for bit, then read pixel by pixel.
        var planes = (float[])chw.Clone();
        for (int c = 0; standardize && c < channels; c++)
        {
            PixelKernels.ScaleShift(planes.AsSpan(c * pixels, pixels), scale![c], shift![c]);
        }
        for (int p = 0; p < pixels; p++)
        {
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(planes[c * pixels + p]), BitConverter.SingleToInt32Bits(hwc[p * channels + c]));
            }
        }
    }

    [Theory]
    [InlineData(3, 37)] // eight-pixel body plus a tail
    [InlineData(3, 8)]
    [InlineData(4, 37)]
    [InlineData(1, 11)]
    [InlineData(5, 11)]
    public void ScaleShiftChannelsLast_MatchesTheScalarDefinition(int channels, int pixels)
    {
        var random = new Random(channels * 10 + pixels);
        var hwc = Enumerable.Range(0, channels * pixels).Select(_ => (float)random.NextDouble()).ToArray();
        float[] scale = Enumerable.Range(0, channels).Select(c => 1 / (0.2f + 0.1f * c)).ToArray();
        float[] shift = Enumerable.Range(0, channels).Select(c => -0.4f - 0.05f * c).ToArray();
        var expected = hwc.Select((x, i) => x * scale[i % channels] + shift[i % channels]).ToArray();

        PixelKernels.ScaleShiftChannelsLast(hwc, channels, scale, shift);

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), hwc.Select(BitConverter.SingleToInt32Bits));
    }
}
