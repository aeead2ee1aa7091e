using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Hdf5;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Data.Collation;

public sealed class PixelNormalizerTests
{
    [Theory]
    [InlineData(ImageLayout.Nhwc)]
    [InlineData(ImageLayout.Nchw)]
    public void StoredPixels_BecomeTheSameModelInput_AsTheCollatorsCpuBatch(ImageLayout layout)
    {
        const int rows = 3, channels = 3, height = 5, width = 6;
        var geometry = new ImageGeometryInfo(channels, height, width, layout, PixelType.UInt8, channels * height * width);
        var raw = TestFiles.Bytes(rows * geometry.RowBytes, 7);
        float[] mean = [0.4f, 0.5f, 0.3f], std = [0.2f, 0.25f, 0.3f];
        var collator = new Collator(geometry, 1f / 255, mean, std, null, new PipelineStats());
        using var batch = collator.Collate(1, 0, [0, 1, 2], [0, 0, 0], raw);
        long[] storedShape = layout == ImageLayout.Nhwc ? [rows, height, width, channels] : [rows, channels, height, width];
        using var scope = NewDisposeScope();

        var stored = tensor(raw, storedShape);
        var input = new PixelNormalizer(layout, 1f / 255, mean, std).ToModelInput(stored, CPU);

        Assert.Equal(ScalarType.Float32, input.dtype);
        Assert.Equal(batch.Images.shape, input.shape);
        Assert.True(batch.ToModelInput(CPU).allclose(input, rtol: 1e-6, atol: 1e-6));
        Assert.Equal(raw, stored.data<byte>().ToArray());
    }

    /// <summary>
    /// TorchSharp 0.107 frees a Scalar only in its finalizer, and a temporary one (a float passed where a
    /// Scalar is taken) is unreachable while libtorch still reads it: a garbage collection at that moment
    /// frees it under libtorch, which then fails with "Expected false to be true" or "Unknown scalar type"
    /// (issue 9). Collections are forced here, as a pipeline that allocates makes them happen. A race: with
    /// the temporaries this failed in most runs, not in every one.
    /// </summary>
    [Fact]
    public void ToModelInput_SurvivesGarbageCollectionsDuringTheCall()
    {
        var normalizer = new PixelNormalizer(ImageLayout.Nhwc, 1f / 255, [0.4f, 0.5f, 0.3f], [0.2f, 0.25f, 0.3f]);
        using var stored = zeros([64, 16, 16, 3], ScalarType.Byte);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(0);
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            for (int i = 0; i < 3_000; i++)
            {
                using var scope = NewDisposeScope();
                normalizer.ToModelInput(stored, CPU);
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }

    [Fact]
    public void MeanWithoutStd_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new PixelNormalizer(ImageLayout.Nhwc, 1, [0.5f], null));
        Assert.Throws<ArgumentException>(() => new PixelNormalizer(ImageLayout.Nhwc, 1, [0.5f, 0.5f], [0.2f]));
    }
}
