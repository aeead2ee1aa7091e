using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;

namespace WebTrainer.Worker.Tests.Data;

public sealed class DataLoaderTests : IDisposable
{
    private const int Count = 83; // not a multiple of the batch or chunk size
    private readonly TempDirectory _temp = new();

    public static TheoryData<string, bool> Modes => new()
    {
        { SamplingModes.Random, false },
        { SamplingModes.Random, true },
        { SamplingModes.Chunked, false },
        { SamplingModes.Chunked, true },
        { SamplingModes.Sequential, false },
        { SamplingModes.Sequential, true },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task EveryEpoch_VisitsEveryRowExactlyOnce(string sampling, bool chunked)
    {
        var data = Open(chunked);
        var loader = Loaders.Make(data.Train, sampling);

        foreach (var epoch in new[] { 1, 2 })
        {
            var batches = await Loaders.ReadEpochAsync(loader, epoch);
            Assert.Equal(loader.BatchesPerEpoch, batches.Count);
            Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), batches.SelectMany(b => b.Rows).Order());
            Assert.All(batches, b => Assert.True(b.Rows.SequenceEqual(b.Rows.Order()), "rows in a batch are sorted for merged reads"));
            Assert.All(batches, b => Assert.Equal(b.Rows.Select(r => r % 5), b.Labels));
        }
    }

    [Theory]
    [InlineData(SamplingModes.Random)]
    [InlineData(SamplingModes.Chunked)]
    public async Task Epochs_DifferInOrder(string sampling)
    {
        var data = Open(chunked: true);
        var loader = Loaders.Make(data.Train, sampling);

        var first = await Loaders.ReadEpochAsync(loader, 1);
        var second = await Loaders.ReadEpochAsync(loader, 2);

        Assert.False(first.Zip(second).All(p => p.First.Rows.SequenceEqual(p.Second.Rows)));
    }

    [Theory]
    [InlineData(SamplingModes.Random)]
    [InlineData(SamplingModes.Chunked)]
    [InlineData(SamplingModes.Sequential)]
    public async Task SameSeed_GivesIdenticalBatches_AcrossRunsAndReaderCounts(string sampling)
    {
        var data = Open(chunked: true);
        var augmentation = new AugmentationSpec { HorizontalFlip = true, RotationRange = 20, BrightnessRange = 0.2 };

        var one = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling, readers: 1, augmentation: augmentation), 3);
        var again = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling, readers: 1, augmentation: augmentation), 3);
        var four = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling, readers: 4, augmentation: augmentation), 3);

        Assert.NotEmpty(one);
        Assert.Equal(one.Count, again.Count);
        Assert.Equal(one.Count, four.Count);
        Assert.All(one.Zip(again), p => Assert.True(p.First.SameAs(p.Second)));
        Assert.All(one.Zip(four), p => Assert.True(p.First.SameAs(p.Second)));
    }

    [Theory]
    [InlineData(SamplingModes.Random, 0)]
    [InlineData(SamplingModes.Random, 4)]
    [InlineData(SamplingModes.Chunked, 7)]
    [InlineData(SamplingModes.Sequential, 10)]
    [InlineData(SamplingModes.Random, 11)] // the last batch only
    public async Task ResumingMidEpoch_YieldsExactlyTheRemainingBatches(string sampling, int startBatch)
    {
        var data = Open(chunked: false);
        var augmentation = new AugmentationSpec { ZoomRange = 0.2, ContrastRange = 0.3 };
        var full = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling, augmentation: augmentation), 5);

        // A fresh loader, as after a restart, asked for the same epoch from a batch in the middle.
        var resumed = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling, augmentation: augmentation), 5, startBatch);

        Assert.Equal(full.Count - startBatch, resumed.Count);
        Assert.All(full.Skip(startBatch).Zip(resumed), p => Assert.True(p.First.SameAs(p.Second)));
    }

    [Theory]
    [InlineData(SamplingModes.Random, false)]
    [InlineData(SamplingModes.Chunked, true)]
    [InlineData(SamplingModes.Sequential, true)]
    public async Task StoredBatches_AreIdentical_AcrossReaderCounts_AndOnResume(string sampling, bool chunked)
    {
        var data = Open(chunked);

        var one = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling, readers: 1, stored: true), 3);
        var four = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling, readers: 4, stored: true), 3);
        var resumed = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling, readers: 2, stored: true), 3, startBatch: 4);

        Assert.NotEmpty(one);
        Assert.Equal(one.Count, four.Count);
        Assert.All(one.Zip(four), p => Assert.True(p.First.SameAs(p.Second)));
        Assert.Equal(one.Count - 4, resumed.Count);
        Assert.All(one.Skip(4).Zip(resumed), p => Assert.True(p.First.SameAs(p.Second)));
    }

    [Theory]
    [InlineData(SamplingModes.Random, false)]
    [InlineData(SamplingModes.Chunked, true)]
    public async Task StoredBatches_GiveTheModelTheSameInput_AsCpuBatches(string sampling, bool chunked)
    {
        var data = Open(chunked);

        var cpu = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling), 2);
        var stored = await Loaders.ReadEpochAsync(Loaders.Make(data.Train, sampling, stored: true), 2);

        Assert.Equal(cpu.Count, stored.Count);
        Assert.All(cpu.Zip(stored), p =>
        {
            Assert.Equal(p.First.Rows, p.Second.Rows);
            Assert.Equal(p.First.Checksum, p.Second.Checksum, 1e-9 * Math.Abs(p.First.Checksum));
        });
    }

    [Fact]
    public async Task StoredBatches_HoldTheRowsAsStored_ReadStraightIntoTheTensor()
    {
        var path = _temp.File("stored.h5");
        TestFiles.Split(path, Count, size: 8, chunks: [4, 8, 8, 3]);
        var raw = TestFiles.ReadAllWithPureHdf(path, "train_img");
        var data = TrainingData.Open(path, new DatasetSpec { File = path });

        await foreach (var batch in Loaders.Make(data.Train, SamplingModes.Random, stored: true).ReadEpochAsync(1, 0, CancellationToken.None))
        {
            using (batch)
            {
                Assert.True(batch.StoredPixels);
                Assert.Equal(TorchSharp.torch.ScalarType.Byte, batch.Images.dtype);
                Assert.Equal(new long[] { batch.Size, 8, 8, 3 }, batch.Images.shape);
                var pixels = batch.Images.data<byte>().ToArray();
                for (int i = 0; i < batch.Size; i++)
                {
                    Assert.Equal(raw.AsSpan((int)batch.Rows[i] * 192, 192).ToArray(), pixels.AsSpan(i * 192, 192).ToArray());
                }
            }
        }
    }

    [Fact]
    public async Task Resuming_PastTheLastBatch_YieldsNothing()
    {
        var data = Open(chunked: false);
        var loader = Loaders.Make(data.Train, SamplingModes.Random);

        Assert.Empty(await Loaders.ReadEpochAsync(loader, 1, loader.BatchesPerEpoch));
    }

    [Fact]
    public async Task ChunkedSampling_DrawsEachBatchFromAWindowOfFewBlocks()
    {
        var data = Open(chunked: true); // 4 rows per chunk, blocks of one chunk
        var loader = Loaders.Make(data.Train, SamplingModes.Chunked, batchSize: 8, windowBlocks: 2);

        var batches = await Loaders.ReadEpochAsync(loader, 1);

        // A batch of 8 from windows of 2 chunks of 4 touches at most 4 chunks (it may straddle two windows).
        Assert.All(batches, b => Assert.True(b.Rows.Select(r => r / 4).Distinct().Count() <= 4, string.Join(",", b.Rows)));
    }

    [Fact]
    public async Task Batches_HoldTheDecodedPixels_AsCHW()
    {
        var path = _temp.File("pixels.h5");
        TestFiles.Split(path, Count, size: 8);
        var raw = TestFiles.ReadAllWithPureHdf(path, "train_img");
        var data = TrainingData.Open(path, new DatasetSpec { File = path });

        await foreach (var batch in Loaders.Make(data.Train, SamplingModes.Random).ReadEpochAsync(1, 0, CancellationToken.None))
        {
            using (batch)
            {
                // N,C,H,W values, channels last in memory: what the model takes, with no copy left to make.
                Assert.Equal(new long[] { batch.Size, 3, 8, 8 }, batch.Images.shape);
                Assert.Equal(new long[] { 192, 1, 24, 3 }, batch.Images.stride());
                var pixels = batch.Images.data<float>().ToArray();
                for (int i = 0; i < batch.Size; i++)
                {
                    long row = batch.Rows[i];
                    for (int c = 0; c < 3; c++)
                    {
                        for (int p = 0; p < 64; p++)
                        {
                            Assert.Equal(raw[row * 192 + p * 3 + c] * (1f / 255), pixels[i * 192 + c * 64 + p]);
                        }
                    }
                }
            }
        }
    }

    private TrainingData Open(bool chunked)
    {
        var path = _temp.File(chunked ? "chunked.h5" : "contiguous.h5");
        if (!File.Exists(path))
        {
            TestFiles.Split(path, Count, size: 8, chunks: chunked ? [4, 8, 8, 3] : null);
        }
        return TrainingData.Open(path, new DatasetSpec { File = path });
    }

    public void Dispose() => _temp.Dispose();
}
