using WebTrainer.Shared.Metrics;
using WebTrainer.Web.Metrics;

namespace WebTrainer.Integration.Tests.Metrics;

public sealed class JobUpdateBusTests
{
    [Fact]
    public async Task ASlowSubscriber_DoesNotHoldUpTheOthers_AndStillGetsEveryUpdateInOrder()
    {
        var bus = new JobUpdateBus();
        var release = new TaskCompletionSource();
        var slow = new List<int>();
        var fast = new List<int>();
        var fastGotBoth = new TaskCompletionSource();
        using var slowSubscription = bus.Subscribe(async u =>
        {
            await release.Task;
            slow.Add(u.Epoch!.Epoch);
        });
        using var fastSubscription = bus.Subscribe(u =>
        {
            fast.Add(u.Epoch!.Epoch);
            if (fast.Count == 2)
            {
                fastGotBoth.TrySetResult();
            }
            return Task.CompletedTask;
        });

        var first = bus.PublishAsync(Epoch(1));
        var second = bus.PublishAsync(Epoch(2));
        await fastGotBoth.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 2], fast);
        Assert.Empty(slow);
        Assert.False(first.IsCompleted, "publishing completes only when every subscriber has the update");
        release.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2], slow);
    }

    private static JobUpdate Epoch(int epoch) => new() { JobId = 1, Kind = JobUpdateKind.Epoch, Epoch = new EpochMetrics { Epoch = epoch } };
}
