using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Hdf5;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Data.Collation;

public sealed class CollatorTests
{
    private static readonly float[] Mean = [0.41f, 0.52f, 0.33f, 0.6f];
    private static readonly float[] Std = [0.21f, 0.19f, 0.27f, 0.1f];

    public static TheoryData<ImageLayout, int, bool> Layouts => new()
    {
        { ImageLayout.Nhwc, 3, false },
        { ImageLayout.Nhwc, 3, true },
        { ImageLayout.Nchw, 3, true },
        { ImageLayout.Nhwc, 1, true }, // N,H,W grey datasets read as N,H,W,1
        { ImageLayout.Nhwc, 4, true },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void StoredBatch_GivesTheModelTheSameFloats_AsTheCpuBatch(ImageLayout layout, int channels, bool normalize)
    {
        const int rows = 5, height = 7, width = 9;
        var geometry = new ImageGeometryInfo(channels, height, width, layout, PixelType.UInt8, channels * height * width);
        var raw = TestFiles.Bytes(rows * geometry.RowBytes, channels);
        float[]? mean = normalize ? Mean[..channels] : null, std = normalize ? Std[..channels] : null;
        var cpu = new Collator(geometry, 1f / 255, mean, std, null, new PipelineStats());
        var stored = new Collator(geometry, 1f / 255, mean, std, null, new PipelineStats(), storedBatches: true);
        using var pool = new TensorPool(stored.BatchShape(rows), stored.BatchType);
        long[] ids = [3, 4, 10, 11, 20];
        int[] labels = [0, 1, 0, 1, 0];

        using var cpuBatch = cpu.Collate(1, 0, ids, labels, raw);
        using var storedBatch = stored.CollateStored(1, 0, ids, labels, pool, pixels => raw.CopyTo(pixels));
        using var scope = NewDisposeScope();
        var fromCpu = cpuBatch.ToModelInput(CPU);
        var fromStored = storedBatch.ToModelInput(CPU);

        Assert.False(cpuBatch.StoredPixels);
        Assert.True(storedBatch.StoredPixels);
        Assert.Equal(ScalarType.Byte, storedBatch.Images.dtype);
        Assert.Equal(ScalarType.Float32, fromStored.dtype);
        Assert.Equal(new long[] { rows, channels, height, width }, fromStored.shape);
        Assert.Equal(fromCpu.shape, fromStored.shape);
        Assert.True(fromCpu.allclose(fromStored, rtol: 1e-6, atol: 1e-6), $"largest difference {fromCpu.sub(fromStored).abs().max().item<float>()}");
    }

    /// <summary>
    /// A one-pixel image warped from its bytes: every map samples that pixel (the edge repeats), and the warp's padded
    /// copy of the row, which is longer than the image, still fits the preparer's scratch when the image holds a single value.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void OnePixelImages_AreWarped_ToThatPixel(int channels)
    {
        const int rows = 4;
        var geometry = new ImageGeometryInfo(channels, 1, 1, ImageLayout.Nhwc, PixelType.UInt8, channels);
        var raw = TestFiles.Bytes(rows * geometry.RowBytes, 5);
        var augmenter = new ImageAugmenter(new AugmentationSpec { RotationRange = 40, WidthShiftRange = 0.3, HorizontalFlip = true }, 7);
        var collator = new Collator(geometry, 1f / 255, null, null, augmenter, new PipelineStats());

        using var batch = collator.Collate(1, 0, [0, 1, 2, 3], [0, 1, 0, 1], raw);
        using var scope = NewDisposeScope();
        var input = batch.ToModelInput(CPU).contiguous().data<float>().ToArray();

        Assert.Equal(raw.Select(b => b * (1f / 255)), input);
    }

    [Fact]
    public void StoredBatch_ToModelInput_LeavesTheStoredPixelsAlone()
    {
        var geometry = new ImageGeometryInfo(3, 4, 4, ImageLayout.Nhwc, PixelType.UInt8, 48);
        var raw = TestFiles.Bytes(2 * 48, 9);
        var stored = new Collator(geometry, 1f / 255, Mean[..3], Std[..3], null, new PipelineStats(), storedBatches: true);
        using var pool = new TensorPool(stored.BatchShape(2), stored.BatchType);

        using var batch = stored.CollateStored(1, 0, [0, 1], [0, 0], pool, pixels => raw.CopyTo(pixels));
        using var scope = NewDisposeScope();
        var first = batch.ToModelInput(CPU);
        var second = batch.ToModelInput(CPU);

        // The pooled tensor goes back to the loader and is refilled: converting must never write into it.
        Assert.Equal(raw, batch.Images.data<byte>().ToArray());
        Assert.Equal(first.data<float>().ToArray(), second.data<float>().ToArray());
    }

    [Fact]
    public void StoredBatches_BudgetTheirStoredBytes_AndCpuBatchesTheirFloats()
    {
        var geometry = new ImageGeometryInfo(3, 299, 299, ImageLayout.Nhwc, PixelType.UInt8, 299 * 299 * 3);

        var cpu = new Collator(geometry, 1f / 255, null, null, null, new PipelineStats());
        var stored = new Collator(geometry, 1f / 255, null, null, null, new PipelineStats(), storedBatches: true);

        Assert.Equal(64 * (299 * 299 * 3 * 4L + 8), cpu.BatchBytes(64));
        Assert.Equal(64 * (299 * 299 * 3L + 8), stored.BatchBytes(64));
        Assert.Equal(new long[] { 64, 299, 299, 3 }, stored.BatchShape(64));
        Assert.Equal(ScalarType.Byte, stored.BatchType);
    }

    [Fact]
    public void StoredBatches_AreRefused_WhereTheCpuMustAugmentOrDecode()
    {
        var bytes = new ImageGeometryInfo(3, 8, 8, ImageLayout.Nhwc, PixelType.UInt8, 192);
        var floats = bytes with { PixelType = PixelType.Float32, RowBytes = 768 };
        var augmenter = new ImageAugmenter(new AugmentationSpec { HorizontalFlip = true }, 1);

        var augmented = Assert.Throws<ArgumentException>(() => new Collator(bytes, 1f, null, null, augmenter, new PipelineStats(), storedBatches: true));
        Assert.Contains("augmented", augmented.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Collator(floats, 1f, null, null, null, new PipelineStats(), storedBatches: true));
        // An augmenter with nothing switched on does no CPU work: stored batches are fine.
        Assert.True(new Collator(bytes, 1f, null, null, new ImageAugmenter(new AugmentationSpec(), 1), new PipelineStats(), storedBatches: true).StoredBatches);
    }
}
