using System.Runtime.InteropServices;
using WebTrainer.Worker.Training;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Training;

public sealed class NativeErrorsTests
{
    [Fact]
    public void Describe_NamesTheOperationAndThePosition_WithoutTheNativeStack()
    {
        // A real libtorch failure: a matrix product of shapes that do not fit.
        var error = Assert.ThrowsAny<ExternalException>(() =>
        {
            using var a = ones(2, 3);
            using var b = ones(4, 5);
            using var product = a.mm(b);
        });

        var text = NativeErrors.Describe(error, new RunPoint(RunPosition.TrainSplit, 2, 14, 30));

        Assert.StartsWith("libtorch failed", text, StringComparison.Ordinal);
        Assert.Contains("at epoch 2, batch 14: ", text, StringComparison.Ordinal);
        Assert.Contains("shapes cannot be multiplied (2x3 and 4x5)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("frame #", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public void Describe_DropsPyTorchsPlea_AndKeepsTheOperationItWasRaisedFrom()
    {
        var report = "Expected false to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement " +
            "request to PyTorch.)\nException raised from toLong at /pytorch/c10/core/Scalar.h:140 (most recent call first):\nframe #0: c10::Error::Error";

        var text = NativeErrors.Describe(new ExternalException(report), new RunPoint(RunPosition.ValidationSplit, 1, 3, 9));

        Assert.Equal("libtorch failed in toLong validating epoch 1, batch 3: Expected false to be true, but got false. " +
            "This happened inside libtorch; the job log has its full report. Retry with another batch size or architecture, " +
            "and report it with the job log if it persists.", text);
    }
}
