using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;

namespace WebTrainer.Worker.Tests.Data;

/// <summary>Small HDF5 files written with PureHDF for the data pipeline tests.</summary>
internal static class TestFiles
{
    public static readonly H5Filter Deflate = new(1, null!);
    public static readonly H5Filter Shuffle = new(2, null!);

    /// <summary>Deterministic pseudo-random pixels, different per row so that a misplaced row shows.</summary>
    public static byte[] Bytes(long count, int seed)
    {
        var data = new byte[count];
        uint state = (uint)seed * 2654435761u + 1;
        for (long i = 0; i < count; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            data[i] = (byte)state;
        }
        return data;
    }

    public static float[] Floats(long count, int seed) =>
        Array.ConvertAll(Bytes(count, seed), b => (b - 128) / 37f);

    public static H5Dataset Images<T>(T[] data, ulong[] dims, uint[]? chunks = null, params H5Filter[] filters) =>
        filters.Length == 0
            ? new H5Dataset(data, fileDims: dims, chunks: chunks)
            : new H5Dataset(data, fileDims: dims, chunks: chunks, datasetCreation: new H5DatasetCreation { Filters = [.. filters] });

    /// <summary>One-hot labels [N,K] of row i → class i mod K, with class names on the dataset.</summary>
    public static H5Dataset OneHot(int count, int classes)
    {
        var oneHot = new byte[count * classes];
        for (int i = 0; i < count; i++)
        {
            oneHot[i * classes + i % classes] = 1;
        }
        return new H5Dataset(oneHot, fileDims: [(ulong)count, (ulong)classes])
        {
            Attributes = new() { ["class_names"] = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray() },
        };
    }

    public static H5Dataset Integers(int count, int classes) =>
        new(Enumerable.Range(0, count).Select(i => (long)(i % classes)).ToArray(), fileDims: [(ulong)count]);

    /// <summary>A train split of <paramref name="count"/> uint8 images, h×w×3, optionally chunked.</summary>
    public static string Split(string path, int count, int size = 8, uint[]? chunks = null, int classes = 5)
    {
        var file = new H5File
        {
            ["train_img"] = Images(Bytes((long)count * size * size * 3, count), [(ulong)count, (ulong)size, (ulong)size, 3], chunks),
            ["train_labels"] = OneHot(count, classes),
        };
        file.Write(path);
        return path;
    }

    /// <summary>Every value of a dataset as PureHDF reads it, as bytes.</summary>
    public static byte[] ReadAllWithPureHdf(string path, string dataset)
    {
        using var file = H5File.OpenRead(path);
        var d = file.Dataset(dataset);
        return d.Type.Class == H5DataTypeClass.FloatingPoint
            ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(d.Read<float[]>().AsSpan()).ToArray()
            : d.Read<byte[]>();
    }
}
