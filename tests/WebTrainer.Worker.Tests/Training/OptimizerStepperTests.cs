using TorchSharp;
using TorchSharp.Modules;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Training;

public sealed class OptimizerStepperTests
{
    [Theory]
    [InlineData(0.25)]
    [InlineData(1000.0)]
    public void ClipOnDevice_ScalesGradientsExactlyAsLibtorchsClipGradNorm_AndReportsTheSameNorm(double maxNorm)
    {
        torch.manual_seed(3);
        var ours = Parameters();
        var theirs = Parameters();

        var norm = OptimizerStepper.ClipOnDevice(ours, maxNorm, read: true);
        var expected = torch.nn.utils.clip_grad_norm_(theirs, maxNorm);

        Assert.Equal(expected, norm);
        foreach (var (a, b) in ours.Zip(theirs))
        {
            Assert.True(a.grad!.allclose(b.grad!, rtol: 0, atol: 0), "gradients differ from libtorch's clipping");
        }
        Assert.Null(OptimizerStepper.ClipOnDevice(ours, maxNorm, read: false));
    }

    private static List<Parameter> Parameters()
    {
        torch.manual_seed(11);
        return [Parameter(8, 3), Parameter(5), Parameter(2, 2, 2)];
    }

    private static Parameter Parameter(params long[] shape)
    {
        var p = new Parameter(torch.zeros(shape));
        (torch.randn(shape) * p).sum().backward();
        (torch.randn(shape) * 3 * p).sum().backward();
        return p;
    }
}
