using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

public sealed class H5pyChunkGuessTests
{
    /// <summary>Expected values printed by h5py 3.7.0 (Debian 12): <c>h5py._hl.filters.guess_chunk(shape, None, typesize)</c>.</summary>
    [Theory]
    [InlineData(new ulong[] { 70700, 299, 299, 3 }, 1, new ulong[] { 2210, 10, 19, 1 })]
    [InlineData(new ulong[] { 2210, 299, 299, 3 }, 1, new ulong[] { 139, 19, 38, 1 })]
    [InlineData(new ulong[] { 20000, 64, 64, 3 }, 1, new ulong[] { 1250, 8, 8, 1 })]
    [InlineData(new ulong[] { 60000, 28, 28 }, 1, new ulong[] { 3750, 4, 4 })]
    [InlineData(new ulong[] { 1000, 3, 224, 224 }, 4, new ulong[] { 63, 1, 14, 28 })]
    [InlineData(new ulong[] { 5000, 32, 32, 3 }, 2, new ulong[] { 625, 4, 8, 1 })]
    [InlineData(new ulong[] { 100 }, 8, new ulong[] { 100 })]
    [InlineData(new ulong[] { 0, 64, 64, 3 }, 1, new ulong[] { 128, 16, 16, 1 })]
    [InlineData(new ulong[] { 7, 5 }, 1, new ulong[] { 7, 5 })]
    public void Guess_IsH5pys(ulong[] shape, int typeSize, ulong[] expected)
    {
        Assert.Equal(expected, H5pyChunkGuess.For(shape, typeSize));
    }
}
