using PureHDF;

namespace WebTrainer.Testing;

/// <summary>Small HDF5 files written by tests, including broken ones, with PureHDF.</summary>
public static class Hdf5Fixtures
{
    public static void Write(string path, Action<H5File> build)
    {
        var file = new H5File();
        build(file);
        file.Write(path);
    }

    /// <summary><paramref name="count"/> uint8 images N,H,W,C of a fixed pattern.</summary>
    public static H5Dataset Images(int count, int size = 8, int channels = 1) =>
        new(Enumerable.Range(0, count * size * size * channels).Select(i => (byte)(i * 37 % 251)).ToArray(),
            fileDims: [(ulong)count, (ulong)size, (ulong)size, (ulong)channels]);

    public static H5Dataset FloatImages(int count, int size, float poison = float.NaN, int poisonIndex = -1)
    {
        var values = Enumerable.Range(0, count * size * size).Select(i => (i % 255) / 255f).ToArray();
        if (poisonIndex >= 0)
        {
            values[poisonIndex] = poison;
        }
        return new H5Dataset(values, fileDims: [(ulong)count, (ulong)size, (ulong)size, 1]);
    }

    public static H5Dataset IntegerLabels(params int[] labels) => new(labels, fileDims: [(ulong)labels.Length]);

    public static H5Dataset IntegerLabels(int count, int classes) => IntegerLabels(Enumerable.Range(0, count).Select(i => i % classes).ToArray());

    /// <summary>One-hot rows; <paramref name="rowValue"/> lets a test write rows that do not sum to 1.</summary>
    public static H5Dataset OneHot(int count, int classes, float rowValue = 1f)
    {
        var values = new float[count * classes];
        for (int i = 0; i < count; i++)
        {
            values[i * classes + i % classes] = rowValue;
        }
        return new H5Dataset(values, fileDims: [(ulong)count, (ulong)classes]);
    }

    /// <summary>A valid file cut to <paramref name="fraction"/> of its length, as an interrupted copy leaves it.</summary>
    public static void Truncate(string path, double fraction)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.SetLength((long)(stream.Length * fraction));
    }
}
