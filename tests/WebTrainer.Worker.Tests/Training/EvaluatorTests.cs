using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class EvaluatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Evaluate_SumsOnTheDevice_ToWhatReadingEveryBatchGives()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = TrainingFixture.Spec(file, new TrainingSpec { BatchSize = 32, Seed = 4 });
        var data = TrainingData.Open(file, spec.Dataset);
        var loaders = new SplitLoaders(spec, data, new TrainerSettings());
        var input = ModelInput.For(spec.Model.Architecture, data.Channels, data.Height, data.Width);
        using var session = TrainingSession.Create(spec, input, data.ClassCount, CPU, null, new RecordingSink());

        var (metrics, confusion) = await Evaluator.EvaluateAsync(session.Model, session.Criterion, loaders.Test!, CPU, data.ClassCount, true,
            CancellationToken.None);

        // The same split read the old way: every batch's loss and predictions brought to the host at once.
        var expected = new long[data.ClassCount, data.ClassCount];
        double lossSum = 0;
        long samples = 0, correct = 0;
        session.Model.eval();
        await foreach (var batch in loaders.Test!.ReadEpochAsync(0, 0, CancellationToken.None))
        {
            using (batch)
            using (var noGrad = no_grad())
            using (var scope = NewDisposeScope())
            {
                var logits = session.Model.call(batch.ToModelInput(CPU));
                lossSum += (double)session.Criterion.Compute(logits, batch.Labels).item<float>() * batch.Size;
                var predicted = logits.argmax(1).data<long>().ToArray();
                var actual = batch.Labels.data<long>().ToArray();
                for (int i = 0; i < predicted.Length; i++)
                {
                    expected[actual[i], predicted[i]]++;
                    correct += actual[i] == predicted[i] ? 1 : 0;
                }
                samples += batch.Size;
            }
        }

        Assert.Equal(expected, confusion);
        Assert.Equal(data.Test!.Count, samples);
        Assert.Equal(samples, metrics.Samples);
        Assert.Equal(correct, metrics.Correct);
        Assert.Equal(lossSum, metrics.LossSum);
    }

    public void Dispose() => _temp.Dispose();
}
