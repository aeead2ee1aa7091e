using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

public sealed class FilterSupportTests
{
    [Fact]
    public void Refusal_IsNull_ForEveryFilterThatIsDecodedHere()
    {
        FilterStep[] pipeline = [Step(2, "shuffle"), Step(1, "deflate"), Step(32000, "lzf"), Step(32004, "lz4"), Step(32015, "zstd"),
            Step(5, "nbit"), Step(6, "scaleoffset"), Step(3, "fletcher32")];

        Assert.Null(FilterSupport.Refusal(pipeline));
    }

    [Fact]
    public void Refusal_NamesBitshuffleAndHowToResave()
    {
        var refusal = FilterSupport.Refusal([Step(32008, "bitshuffle"), Step(2, "shuffle")]);

        Assert.Equal("uses the bitshuffle filter, which cannot be decoded here; re-save it with h5py's compression=\"gzip\" or \"lzf\" " +
            "(or h5repack -f GZIP=4 with the bitshuffle plugin installed)", refusal);
    }

    [Fact]
    public void Refusal_NamesEveryUndecodableFilter()
    {
        var refusal = FilterSupport.Refusal([Step(32008, "bitshuffle"), Step(32001, "blosc")]);

        Assert.StartsWith("uses the bitshuffle and blosc filters, which cannot be decoded here", refusal, StringComparison.Ordinal);
        Assert.EndsWith("with the bitshuffle and blosc plugins installed)", refusal, StringComparison.Ordinal);
    }

    private static FilterStep Step(ushort id, string name) => new(id, name, []);
}
