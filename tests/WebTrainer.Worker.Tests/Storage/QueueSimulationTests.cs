using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Tests.Storage;

public sealed class QueueSimulationTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void QueuedJobs_GoToTheWorkerThatFreesUpFirst()
    {
        var starts = QueueSimulation.StartTimes(Now, workers: 2,
            runningRemaining: [TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(4)],
            queuedDurations: [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)]);

        Assert.Equal([Now.AddMinutes(4), Now.AddMinutes(9), Now.AddMinutes(10)], starts);
    }

    [Fact]
    public void AnUnknownDuration_LeavesTheJobsBehindItUnknown()
    {
        var starts = QueueSimulation.StartTimes(Now, workers: 1, runningRemaining: [], queuedDurations: [null, TimeSpan.FromMinutes(1)]);

        Assert.Equal(Now, starts[0]);
        Assert.Null(starts[1]);
    }

    [Fact]
    public void NoWorkers_NoEstimate()
    {
        var starts = QueueSimulation.StartTimes(Now, workers: 0, runningRemaining: [], queuedDurations: [TimeSpan.FromMinutes(1)]);

        Assert.Null(starts[0]);
    }
}
