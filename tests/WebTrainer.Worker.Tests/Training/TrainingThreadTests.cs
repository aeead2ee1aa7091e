using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Metrics;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Jobs.Runs;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class TrainingThreadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task RunAsync_ResumesEveryAwaitOnOneThreadOfItsOwn()
    {
        int caller = Environment.CurrentManagedThreadId;
        var seen = await TrainingThread.RunAsync(async () =>
        {
            var threads = new List<int> { Environment.CurrentManagedThreadId };
            for (int i = 0; i < 20; i++)
            {
                // Completed on a pool thread, as a reader thread's batch is.
                await Task.Run(() => Thread.Sleep(1));
                threads.Add(Environment.CurrentManagedThreadId);
            }
            return threads;
        });
        Assert.Single(seen.Distinct());
        Assert.NotEqual(caller, seen[0]);
    }

    [Fact]
    public async Task RunAsync_HandsOnTheWorksException()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TrainingThread.RunAsync<int>(async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("diverged");
        }));
        Assert.Equal("diverged", error.Message);
    }

    [Fact]
    public async Task Trainer_OnTheTrainingThread_EndsWithTheSameNumbersAsOnThePool()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = TrainingFixture.Spec(file, new TrainingSpec
        {
            Epochs = 2, BatchSize = 32, Optimizer = Optimizers.Adam, LearningRate = 0.003, Seed = 7, Device = "cpu", CheckpointEveryBatches = 5,
        });
        var data = TrainingData.Open(file, spec.Dataset);
        async Task<(List<EpochMetrics> Epochs, TestResults? Test)> Train(string name, bool dedicated)
        {
            var sink = new RecordingSink();
            var settings = new TrainerSettings { Device = "cpu", RunDirectory = TrainingFixture.RunDirectory(_temp, name) };
            Task<TestResults?> Run() => new Trainer(settings, sink).RunAsync(spec, data, CancellationToken.None);
            var test = dedicated ? await TrainingThread.RunAsync(Run) : await Run();
            return (sink.Epochs, test);
        }

        var pool = await Train("pool", dedicated: false);
        var dedicated = await Train("dedicated", dedicated: true);

        Assert.Equal(2, pool.Epochs.Count);
        Assert.Equal(pool.Epochs.Select(e => (e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy)),
            dedicated.Epochs.Select(e => (e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy)));
        Assert.NotNull(pool.Test);
        Assert.Equal(pool.Test.Loss, dedicated.Test!.Loss);
        Assert.Equal(pool.Test.ConfusionMatrix, dedicated.Test.ConfusionMatrix);
    }

    public void Dispose() => _temp.Dispose();
}
