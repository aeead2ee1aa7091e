using TorchSharp.Modules;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class StridedPointwiseConvolutionsTests
{
    [Fact]
    public void SubsampleFirst_GivesTheSameOutputAndGradients_AsStridedConvolutions()
    {
        TorchRuntime.Configure(2);
        using var scope = NewDisposeScope();
        // Channel counts oneDNN's strided kernel handles on every CPU, so the plain path runs here too.
        using var plain = Network();
        using var rewritten = Network();
        rewritten.load_state_dict(plain.state_dict());

        var changed = StridedPointwiseConvolutions.SubsampleFirst(rewritten);

        Assert.Equal(["down", "tall"], changed);
        Assert.Equal(plain.state_dict().Keys, rewritten.state_dict().Keys);
        // Odd sizes: the stride's last row and column must be the subsample's too.
        var input = randn(3, 4, 13, 11);
        var (plainOut, plainGrads) = ForwardBackward(plain, input);
        var (rewrittenOut, rewrittenGrads) = ForwardBackward(rewritten, input);

        Assert.Equal(plainOut.shape, rewrittenOut.shape);
        Assert.True(plainOut.allclose(rewrittenOut, rtol: 1e-4, atol: 1e-5));
        foreach (var (name, grad) in plainGrads)
        {
            Assert.True(grad.allclose(rewrittenGrads[name], rtol: 1e-4, atol: 1e-5), name);
        }
    }

    [Fact]
    public void SubsampleFirst_LeavesOtherConvolutionsAlone_AndIsIdempotent()
    {
        using var network = Network();

        Assert.Equal(2, StridedPointwiseConvolutions.SubsampleFirst(network).Count);
        Assert.Empty(StridedPointwiseConvolutions.SubsampleFirst(network));
        var strides = network.named_modules().Where(m => m.module is Conv2d)
            .ToDictionary(m => m.name, m => ((Conv2d)m.module).stride);
        Assert.Equal([1L, 1L], strides["pointwise"]);
        Assert.Equal([2L, 2L], strides["spatial"]);
        Assert.Equal([1L, 1L], strides["down"]);
    }

    [Fact]
    public void Workaround_RewritesResNet50sShortcuts_WithoutChangingItsStateDictKeys()
    {
        TorchRuntime.Configure(2);
        using var reference = TorchSharp.torchvision.models.resnet50(7);
        using var model = TorchSharp.torchvision.models.resnet50(7);

        var changed = OneDnnWorkaround.Decide("on", "/nonexistent").ApplyTo(model);

        Assert.Equal(["layer2.0.downsample.0", "layer3.0.downsample.0", "layer4.0.downsample.0"], changed);
        Assert.Equal(reference.state_dict().Keys, model.state_dict().Keys);
        Assert.Empty(OneDnnWorkaround.Decide("off", "/nonexistent").ApplyTo(reference));
    }

    private static Sequential Network() => Sequential(
        ("pointwise", Conv2d(4, 8, 1)),
        ("spatial", Conv2d(8, 8, 3, stride: 2, padding: 1)),
        ("down", Conv2d(8, 16, 1, stride: 2, bias: false)),
        ("relu", ReLU()),
        ("tall", Conv2d(16, 8, (1, 1), stride: (2, 1))));

    private static (Tensor Output, Dictionary<string, Tensor> Gradients) ForwardBackward(Sequential network, Tensor input)
    {
        var x = input.detach().clone().requires_grad_(true);
        var output = network.call(x);
        (output * output).sum().backward();
        var gradients = network.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        gradients["input"] = x.grad!.clone();
        return (output.detach(), gradients);
    }
}
