using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

public sealed class ChunkTableTests
{
    [Fact]
    public void Set_AFewChunksOfALargeGrid_AllocatesForThoseChunksNotForTheGrid()
    {
        ulong[] shape = [10_000_000, 8, 8], chunks = [1, 8, 8];
        new ChunkTable([4, 8, 8], chunks).Set(0, 0, 64, 0); // warm up: JIT

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var table = new ChunkTable(shape, chunks);
        table.Set(3, 4096, 64, 0);
        table.Set(5_000_000, 8192, 64, 1);
        table.Set(9_999_999, 12288, 64, 0);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // Dense arrays for 10M chunks would be 200 MB; the page directory is 8 bytes per 1024 chunks.
        Assert.InRange(allocated, 0, 1L << 20);
        Assert.Equal(10_000_000, table.Count);
        Assert.Equal([3L, 5_000_000, 9_999_999], table.Stored().Select(s => s.Linear));
        Assert.Equal(8192, table.Offset(5_000_000));
        Assert.Equal(1u, table.FilterMask(5_000_000));
        Assert.Equal(ChunkTable.Missing, table.Offset(4));
        Assert.Equal(ChunkTable.Missing, table.Offset(7_000_000));
    }

    [Fact]
    public void Set_AChunkOutsideTheGrid_IsDamagedData()
    {
        var table = new ChunkTable([4, 8, 8], [1, 8, 8]);

        Assert.Throws<InvalidDataException>(() => table.Set(4, 0, 64, 0));
        Assert.Throws<InvalidDataException>(() => table.Set(-1, 0, 64, 0));
    }

    [Fact]
    public void Implicit_ComputesEveryChunksPlace_AndStoresNothing()
    {
        var table = ChunkTable.Implicit([6, 8, 8], [2, 8, 8], start: 1000, chunkBytes: 128);

        Assert.Equal([1000L, 1128, 1256], Enumerable.Range(0, 3).Select(i => table.Offset(i)));
        Assert.Equal(128, table.StoredSize(2));
        // Back to back: the last chunk alone says where the data ends.
        Assert.Equal((2L, 1256L, 128L), table.Stored().Single());
    }
}
