using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Web.Metrics;

namespace WebTrainer.Integration.Tests.Metrics;

/// <summary>The job page's guarantee: no update is lost or doubled between loading history and following the stream.</summary>
public sealed class JobFollowerTests
{
    private const long JobId = 7;

    [Fact]
    public async Task UpdatesArrivingWhileHistoryLoads_AreReplayedOnlyWhenNewer_ThenLiveOnesFollow_WithoutRepeats()
    {
        var bus = new JobUpdateBus();
        using var follower = new JobFollower(bus, JobId);
        var delivered = new List<string>();

        var history = await follower.StartAsync(async _ =>
        {
            // What the relay publishes while the page reads the database.
            await bus.PublishAsync(Epoch(2));
            await bus.PublishAsync(Batch(2, 9));
            await bus.PublishAsync(Event(10));
            await bus.PublishAsync(Batch(3, 1));
            await bus.PublishAsync(Epoch(3));
            await bus.PublishAsync(Event(11));
            await bus.PublishAsync(new JobUpdate { JobId = 99, Kind = JobUpdateKind.Epoch, Epoch = new EpochMetrics { Epoch = 5 } });
            await bus.PublishAsync(new JobUpdate { JobId = JobId, Kind = JobUpdateKind.Status, Status = JobStatus.Succeeded });
            return History(epochs: [1, 2], lastBatch: (2, 9), lastEventId: 10);
        }, h => delivered.Add($"history of {h.Epochs.Count} epochs"), update =>
        {
            delivered.Add(Describe(update));
            return Task.CompletedTask;
        }, CancellationToken.None);
        // NOTIFY comes after the commit the history query may already have seen: late repeats are dropped.
        await bus.PublishAsync(Event(10));
        await bus.PublishAsync(Epoch(3));
        await bus.PublishAsync(Epoch(4));
        await bus.PublishAsync(Batch(3, 1));
        await bus.PublishAsync(Batch(3, 2));

        Assert.NotNull(history);
        // The page holds its history before the first update reaches it.
        Assert.Equal(["history of 2 epochs", "batch 3.1", "epoch 3", "event 11", "status Succeeded", "epoch 4", "batch 3.2"], delivered);
    }

    [Fact]
    public async Task UnknownJob_GivesNoHistory_AndDeliversNothing()
    {
        var bus = new JobUpdateBus();
        using var follower = new JobFollower(bus, JobId);
        var delivered = new List<JobUpdate>();

        var history = await follower.StartAsync(_ => Task.FromResult<JobHistory?>(null), _ => throw new InvalidOperationException("no history to show"), u =>
        {
            delivered.Add(u);
            return Task.CompletedTask;
        }, CancellationToken.None);
        await bus.PublishAsync(Epoch(1));

        Assert.Null(history);
        Assert.Empty(delivered);
    }

    [Fact]
    public async Task AfterDispose_NothingIsDelivered()
    {
        var bus = new JobUpdateBus();
        var follower = new JobFollower(bus, JobId);
        var delivered = new List<JobUpdate>();
        await follower.StartAsync(_ => Task.FromResult<JobHistory?>(History([], (0, 0), 0)), _ => { }, u =>
        {
            delivered.Add(u);
            return Task.CompletedTask;
        }, CancellationToken.None);

        follower.Dispose();
        await bus.PublishAsync(Epoch(1));

        Assert.Empty(delivered);
    }

    private static JobUpdate Epoch(int epoch) => new() { JobId = JobId, Kind = JobUpdateKind.Epoch, Epoch = new EpochMetrics { Epoch = epoch } };

    private static JobUpdate Batch(int epoch, int batch) => new()
    {
        JobId = JobId,
        Kind = JobUpdateKind.Batch,
        Batch = new BatchProgress(epoch, batch, 10, 1, 0.5, 100, DateTimeOffset.UtcNow),
    };

    private static JobUpdate Event(long id) => new() { JobId = JobId, Kind = JobUpdateKind.Event, Event = new JobEvent(id, DateTimeOffset.UtcNow, "info", $"event {id}") };

    private static string Describe(JobUpdate u) => u.Kind switch
    {
        JobUpdateKind.Epoch => $"epoch {u.Epoch!.Epoch}",
        JobUpdateKind.Batch => $"batch {u.Batch!.Epoch}.{u.Batch.Batch}",
        JobUpdateKind.Event => $"event {u.Event!.Id}",
        _ => $"status {u.Status}",
    };

    private static JobHistory History(int[] epochs, (int Epoch, int Batch) lastBatch, long lastEventId)
    {
        var summary = new JobSummary(JobId, "job", "me", JobStatus.Running, "f.h5", "small_cnn", epochs.Length, 5, null,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, null);
        return new JobHistory(summary, new JobSpec(), null,
            epochs.Select(e => new EpochMetrics { Epoch = e }).ToList(),
            lastBatch.Epoch == 0 ? [] : [new BatchProgress(lastBatch.Epoch, lastBatch.Batch, 10, 1, 0.5, 100, DateTimeOffset.UtcNow)],
            lastEventId == 0 ? [] : [new JobEvent(lastEventId, DateTimeOffset.UtcNow, "info", "loaded")],
            null);
    }
}
