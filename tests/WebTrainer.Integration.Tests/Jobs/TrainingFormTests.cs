using WebTrainer.Shared.Jobs;
using WebTrainer.Web.Jobs.Forms;

namespace WebTrainer.Integration.Tests.Jobs;

public sealed class TrainingFormTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 0)]
    [InlineData(0, 500)]
    public void Knobs_SurviveFormRoundTrip_AsWhenCloningAJob(int warmupEpochs, int warmupSteps)
    {
        var spec = new TrainingSpec
        {
            GradientClipNorm = 1.5, GradientAccumulationSteps = 4, WarmupEpochs = warmupEpochs, WarmupSteps = warmupSteps, WarmupStartFactor = 0.3,
        };
        var problems = new Dictionary<string, string[]>();

        var back = TrainingForm.From(spec).ToSpec(problems);

        Assert.Empty(problems);
        Assert.Equal((1.5, 4, warmupEpochs, warmupSteps, 0.3),
            (back.GradientClipNorm, back.GradientAccumulationSteps, back.WarmupEpochs, back.WarmupSteps, back.WarmupStartFactor));
    }

    [Fact]
    public void NoClipping_IsNullInTheSpec()
    {
        var back = TrainingForm.From(new TrainingSpec()).ToSpec(new Dictionary<string, string[]>());

        Assert.Null(back.GradientClipNorm);
        Assert.Equal(1, back.GradientAccumulationSteps);
        Assert.Equal((0, 0), (back.WarmupEpochs, back.WarmupSteps));
    }
}
