using WebTrainer.Testing;
using WebTrainer.Worker.Optimizing;

namespace WebTrainer.Worker.Tests.Optimizing;

/// <summary>The checksum the optimiser writes is HDF5's: it matches the ones PureHDF wrote on a superblock.</summary>
public sealed class Lookup3Tests : IDisposable
{
    private readonly TempDirectory _folder = new("lookup3");

    [Fact]
    public void Hash_OfASuperblock_IsTheChecksumStoredAfterIt()
    {
        var file = BadChunksFile.Write(_folder.File("in.h5"));
        var superblock = new byte[48];
        using (var stream = File.OpenRead(file))
        {
            stream.ReadExactly(superblock);
        }

        Assert.Equal(3, superblock[8]);
        Assert.Equal(BitConverter.ToUInt32(superblock, 44), Lookup3.Hash(superblock.AsSpan(0, 44)));
    }

    [Fact]
    public void Hash_OfNothing_IsTheInitialState() => Assert.Equal(0xdeadbeefu, Lookup3.Hash([]));

    public void Dispose() => _folder.Dispose();
}
