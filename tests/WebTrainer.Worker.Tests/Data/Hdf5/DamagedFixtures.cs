using WebTrainer.Testing;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

/// <summary>Copies of the h5py fixtures with one stored chunk broken, written at test time.</summary>
internal static class DamagedFixtures
{
    /// <summary>A copy of a fixture with the stored bytes of one chunk changed by <paramref name="damage"/>.</summary>
    public static string Write(TempDirectory temp, string layout, string dataset, long chunk, Action<byte[]> damage)
    {
        var source = H5pyLayoutTests.Fixture(layout);
        var (offset, size) = StoredChunk(source, dataset, chunk);
        var bytes = File.ReadAllBytes(source);
        var stored = bytes.AsSpan((int)offset, (int)size).ToArray();
        var before = (byte[])stored.Clone();
        damage(stored);
        Assert.NotEqual(before, stored);
        stored.CopyTo(bytes.AsSpan((int)offset));
        var file = temp.File($"damaged_{layout}_{dataset}_{chunk}.h5");
        File.WriteAllBytes(file, bytes);
        return file;
    }

    private static (long Offset, long Size) StoredChunk(string file, string dataset, long chunk)
    {
        using var h5 = Hdf5Files.Open(file);
        var d = Hdf5Files.Dataset(h5, file, dataset);
        var storage = PureHdfInternals.Layout(d)!;
        using var handle = File.OpenHandle(file);
        var table = ChunkIndexReader.Read(handle, file, Superblock.Read(handle, file), storage, d.Space.Dimensions, d.Space.MaxDimensions, 1)!;
        return (table.Offset(chunk), table.StoredSize(chunk));
    }
}
