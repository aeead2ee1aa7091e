using WebTrainer.Worker.Data.Collation;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Data.Collation;

public sealed class ChannelsLastTests
{
    [Fact]
    public void Of_LaysAChannelsFirstBatchOutChannelsLast_WithTheSameValues()
    {
        using var scope = NewDisposeScope();
        var x = arange(2 * 3 * 4 * 5, ScalarType.Float32).view(2, 3, 4, 5);
        var y = ChannelsLast.Of(x);
        Assert.Equal(x.shape, y.shape);
        Assert.Equal([60L, 1, 15, 3], y.stride());
        Assert.True(y.eq(x).all().item<bool>());
    }

    [Fact]
    public void Of_KeepsABatchThatIsChannelsLastAlready_WithoutACopy()
    {
        using var scope = NewDisposeScope();
        var stored = arange(2 * 4 * 5 * 3, ScalarType.Float32).view(2, 4, 5, 3).permute(0, 3, 1, 2);
        var y = ChannelsLast.Of(stored);
        Assert.Equal(stored.stride(), y.stride());
        y.fill_(7f);
        Assert.True(stored.eq(7f).all().item<bool>());
    }

    [Fact]
    public void Of_LeavesTensorsThatAreNotImageBatchesAlone()
    {
        using var scope = NewDisposeScope();
        var vector = arange(6, ScalarType.Float32).view(2, 3);
        Assert.Same(vector, ChannelsLast.Of(vector));
    }
}
