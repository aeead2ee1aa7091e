using WebTrainer.Worker.Data.Augmentation;

namespace WebTrainer.Worker.Tests.Data.Augmentation;

/// <summary>The fixed-point warp from stored bytes, planar and channels last, against the float warp and each other.</summary>
public sealed class BytesWarpTests
{
    /// <summary>
    /// The warp straight from stored bytes, interleaved (one gather for up to four channels, per channel beyond) and
    /// planar: the AVX2 and scalar paths give the same bits, and both give the float warp of the decoded image within
    /// the fixed point's bound; a source without the padding is refused.
    /// </summary>
    [Theory]
    [InlineData(3, true)]
    [InlineData(1, false)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    [InlineData(3, false)]
    public void WarpBytes_MatchesTheFloatWarpOfTheDecodedImage_OnBothPaths(int channels, bool interleaved)
    {
        var random = new Random(7);
        const float rescale = 1f / 255;
        // Positions rounded to 1/64 px move a value by at most the largest byte's spread times MaxDeviation; the
        // float warp itself rounds to about 1e-7 of these values in [0, 1].
        const float Tolerance = 255 * rescale * AffineWarp.MaxDeviation + 1e-6f;
        foreach (var (h, w) in new[] { (29, 37), (8, 8), (3, 61), (64, 5) })
        {
            int plane = h * w, values = channels * plane;
            var stored = new byte[values + AffineWarp.BytePadding];
            random.NextBytes(stored);
            // What the decoder gives: planar float32, rescaled.
            var decoded = new float[values];
            for (int c = 0; c < channels; c++)
            {
                for (int p = 0; p < plane; p++)
                {
                    decoded[c * plane + p] = stored[interleaved ? p * channels + c : c * plane + p] * rescale;
                }
            }
            var maps = new[]
            {
                Affine2D.Rotate(0.3).After(Affine2D.Scale(1.1, 0.9)),
                Affine2D.Translate(-w * 0.7, h * 0.4).After(Affine2D.Shear(0.2)),
                Affine2D.Scale(5e9, -3e9),
                Affine2D.Scale(-1, 1),
            };
            foreach (var map in maps)
            {
                var simd = new float[values];
                var scalar = new float[values];
                var expected = new float[values];
                AffineWarp.ApplyBytes(stored, simd, channels, h, w, interleaved, rescale, map, simd: true);
                AffineWarp.ApplyBytes(stored, scalar, channels, h, w, interleaved, rescale, map, simd: false);
                AffineWarp.Apply(decoded, expected, channels, h, w, map, simd: false);
                Assert.Equal(scalar, simd);
                for (int i = 0; i < values; i++)
                {
                    Assert.True(Math.Abs(expected[i] - simd[i]) <= Tolerance, $"{h}x{w} value {i}: {simd[i]} against {expected[i]}");
                }
            }
        }
        Assert.Throws<ArgumentException>(() => AffineWarp.ApplyBytes(new byte[channels * 8 * 8], new float[channels * 8 * 8], channels, 8, 8,
            interleaved, rescale, Affine2D.Identity));
    }

    /// <summary>
    /// Interleaved RGB and RGBA warped straight into H×W×C: every path this CPU has (scalar, AVX2, AVX-512) gives the same
    /// bits, those of the channels-first bytes warp moved channels last (exact integer sums, the same factor); whole-pixel
    /// maps give the decoded bytes exactly; nothing past the image is written (three channels store four values a pixel);
    /// other channel counts are refused.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void WarpBytesChannelsLast_IsTheChannelsFirstWarpMovedChannelsLast_OnEveryPath(int channels)
    {
        var random = new Random(11);
        const float rescale = 1f / 255;
        // Widths with a tail of every path: 16-pixel AVX-512 groups, then 8-pixel AVX2 groups, then scalar pixels.
        foreach (var (h, w) in new[] { (29, 37), (8, 8), (3, 61), (64, 5), (1, 1), (2, 9), (5, 40), (4, 17), (3, 128) })
        {
            int plane = h * w, values = channels * plane;
            var stored = new byte[values + AffineWarp.BytePadding];
            random.NextBytes(stored);
            var maps = new[]
            {
                Affine2D.Rotate(0.3).After(Affine2D.Scale(1.1, 0.9)),
                Affine2D.Translate(-w * 0.7, h * 0.4).After(Affine2D.Shear(0.2)),
                Affine2D.Scale(5e9, -3e9),
                Affine2D.Scale(-1, 1),
                Affine2D.Identity,
            };
            foreach (var map in maps)
            {
                var scalar = new float[values];
                var chw = new float[values];
                AffineWarp.ApplyBytesChannelsLast(stored, scalar, channels, h, w, rescale, map, AffineWarp.WarpPath.Scalar);
                AffineWarp.ApplyBytes(stored, chw, channels, h, w, interleaved: true, rescale, map, simd: false);
                var simd = scalar;
                foreach (var path in AffineWarp.ChannelsLastPaths.Skip(1))
                {
                    // Sentinels after the image catch a store past its end.
                    simd = Enumerable.Repeat(float.NaN, values + 16).ToArray();
                    AffineWarp.ApplyBytesChannelsLast(stored, simd, channels, h, w, rescale, map, path);
                    Assert.True(scalar.AsSpan().SequenceEqual(simd.AsSpan(0, values)), $"{path} differs from the scalar path for {h}x{w}, {map}");
                    Assert.All(simd[values..], v => Assert.True(float.IsNaN(v), $"{path} wrote a value past the image"));
                }
                for (int p = 0; p < plane; p++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        Assert.Equal(BitConverter.SingleToInt32Bits(chw[c * plane + p]), BitConverter.SingleToInt32Bits(simd[p * channels + c]));
                    }
                }
                if (map == Affine2D.Identity || map == Affine2D.Scale(-1, 1))
                {
                    bool mirrored = map != Affine2D.Identity;
                    for (int p = 0; p < plane; p++)
                    {
                        int y = p / w, x = p % w, from = y * w + (mirrored ? w - 1 - x : x);
                        for (int c = 0; c < channels; c++)
                        {
                            Assert.Equal(stored[from * channels + c] * rescale, simd[p * channels + c]);
                        }
                    }
                }
            }
        }
        foreach (int other in new[] { 1, 2, 5 })
        {
            Assert.Throws<ArgumentException>(() => AffineWarp.ApplyBytesChannelsLast(new byte[other * 64 + AffineWarp.BytePadding],
                new float[other * 64], other, 8, 8, rescale, Affine2D.Identity));
        }
    }
}
