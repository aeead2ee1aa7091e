using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Prefetch;

namespace WebTrainer.Worker.Tests.Data.Prefetch;

public sealed class MemoryBudgetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    /// <summary>
    /// A batch of 8 16×16×3 images holds 8 × 3072 bytes of float pixels (CPU batches) or 8 × 768
    /// bytes as stored (uint8 batches, a quarter), plus 8 labels; the budget has room for three.
    /// </summary>
    [Theory]
    [InlineData(false, 3072)]
    [InlineData(true, 768)]
    public async Task Budget_BoundsTheBatchesHeldAtOnce_WhenTheTrainerIsSlow(bool stored, int pixelBytes)
    {
        var path = TestFiles.Split(_temp.File("budget.h5"), 200, size: 16);
        var data = TrainingData.Open(path, new DatasetSpec { File = path });
        long batchBytes = 8 * (pixelBytes + 8);
        var loader = Loaders.Make(data.Train, SamplingModes.Random, readers: 4, batchSize: 8, budgetBytes: 3 * batchBytes + 100, stored: stored);
        Assert.Equal(3, loader.Capacity);

        int seen = 0;
        await foreach (var batch in loader.ReadEpochAsync(1, 0, CancellationToken.None))
        {
            using (batch)
            {
                // The pipeline races ahead while we "train"; it must stop at the budget.
                await Task.Delay(seen < 3 ? 50 : 1);
                Assert.True(loader.Budget.InUseBytes <= loader.Budget.CapacityBytes);
                seen++;
            }
        }

        Assert.Equal(25, seen);
        Assert.InRange(loader.Budget.PeakBytes, 2 * batchBytes, loader.Budget.CapacityBytes);
        Assert.Equal(0, loader.Budget.InUseBytes);
    }

    [Fact]
    public async Task Budget_SmallerThanOneBatch_StillLetsOneBatchThrough()
    {
        var path = TestFiles.Split(_temp.File("tiny.h5"), 40, size: 16);
        var data = TrainingData.Open(path, new DatasetSpec { File = path });
        var loader = Loaders.Make(data.Train, SamplingModes.Sequential, readers: 2, batchSize: 8, budgetBytes: 1000);

        var batches = await Loaders.ReadEpochAsync(loader, 1);

        Assert.Equal(5, batches.Count);
        Assert.Equal(1000, loader.Budget.PeakBytes);
    }

    [Fact]
    public async Task StoppingEarly_GivesEveryByteBack()
    {
        var path = TestFiles.Split(_temp.File("early.h5"), 200, size: 16);
        var data = TrainingData.Open(path, new DatasetSpec { File = path });
        var loader = Loaders.Make(data.Train, SamplingModes.Random, readers: 3, batchSize: 8);

        await foreach (var batch in loader.ReadEpochAsync(1, 0, CancellationToken.None))
        {
            batch.Dispose();
            if (batch.Index == 2)
            {
                break; // the readers have more batches in flight and waiting
            }
        }

        Assert.Equal(0, loader.Budget.InUseBytes);
    }

    [Fact]
    public async Task Acquire_WaitsInOrder_UntilEnoughIsReleased()
    {
        var budget = new MemoryBudget(100);
        var first = await budget.AcquireAsync(60, CancellationToken.None);
        var second = budget.AcquireAsync(60, CancellationToken.None).AsTask();
        var third = budget.AcquireAsync(10, CancellationToken.None).AsTask();

        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted); // would fit, but must not overtake the bigger request
        budget.Release(first);
        Assert.Equal(60, await second);
        Assert.Equal(10, await third);
        Assert.Equal(70, budget.InUseBytes);
    }

    [Fact]
    public async Task Acquire_IsCancelled_WithoutTakingBytes()
    {
        var budget = new MemoryBudget(100);
        await budget.AcquireAsync(100, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = budget.AcquireAsync(50, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        budget.Release(100);
        Assert.Equal(0, budget.InUseBytes);
    }

    public void Dispose() => _temp.Dispose();
}
