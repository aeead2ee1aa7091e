using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Training.Checkpoints;

namespace WebTrainer.Worker.Tests.Training;

public sealed class SpecFingerprintTests
{
    private const string Shape = "100/20/10 3x32x32 k10";

    [Fact]
    public void Fingerprint_IgnoresTheNameAndFieldsAtTheirDefaults()
    {
        var spec = new JobSpec { Name = "a", Training = new TrainingSpec { LearningRate = 0.01 } };

        Assert.Equal(SpecFingerprint.Of(spec, Shape), SpecFingerprint.Of(spec with { Name = "b" }, Shape));
        Assert.Equal(SpecFingerprint.Of(new JobSpec(), Shape), SpecFingerprint.Of(new JobSpec { Training = new TrainingSpec() }, Shape));
    }

    [Fact]
    public void Fingerprint_ChangesWithAnythingThatChangesTheRun()
    {
        var spec = new JobSpec { Training = new TrainingSpec { LearningRate = 0.01 } };
        var fingerprint = SpecFingerprint.Of(spec, Shape);

        Assert.NotEqual(fingerprint, SpecFingerprint.Of(spec with { Training = spec.Training with { LearningRate = 0.02 } }, Shape));
        Assert.NotEqual(fingerprint, SpecFingerprint.Of(spec with { Training = spec.Training with { EarlyStopping = new EarlyStoppingSpec() } }, Shape));
        Assert.NotEqual(fingerprint, SpecFingerprint.Of(spec with { Training = spec.Training with { ClassWeights = [1.0, 2.0] } }, Shape));
        Assert.NotEqual(fingerprint, SpecFingerprint.Of(spec with { Model = new ModelSpec { Architecture = Architectures.ResNet18 } }, Shape));
        Assert.NotEqual(fingerprint, SpecFingerprint.Of(spec, "100/20/10 3x32x32 k11"));
    }
}
