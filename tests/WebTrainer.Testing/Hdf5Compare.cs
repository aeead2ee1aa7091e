using PureHDF;
using WebTrainer.Shared.Datasets;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;
using Xunit;

namespace WebTrainer.Testing;

/// <summary>Assertions on an optimised file against its input, read back with PureHDF.</summary>
public static class Hdf5Compare
{
    /// <summary>Same dataset names, shapes, dtypes and stored bytes; class names on the file and on the train labels.</summary>
    public static void AssertSameContent(string input, string output)
    {
        using var a = H5File.OpenRead(input);
        using var b = H5File.OpenRead(output);
        Assert.Equal(Names(a), Names(b));
        foreach (var name in Names(a))
        {
            var x = a.Dataset(name);
            var y = b.Dataset(name);
            Assert.Equal(x.Space.Dimensions, y.Space.Dimensions);
            Assert.Equal((x.Type.Class, x.Type.Size), (y.Type.Class, y.Type.Size));
            Assert.True(Bytes(x).AsSpan().SequenceEqual(Bytes(y)), $"{name} differs");
        }
        Assert.Equal(a.Attribute("class_names").Read<string[]>(), b.Attribute("class_names").Read<string[]>());
        Assert.Equal(a.Dataset("train_labels").Attribute("class_names").Read<string[]>(), b.Dataset("train_labels").Attribute("class_names").Read<string[]>());
    }

    /// <summary>The dataset is contiguous, or chunked one image per chunk with deflate when asked for.</summary>
    public static void AssertLayout(string output, string dataset, string layout, int? deflate)
    {
        using var file = H5File.OpenRead(output);
        var storage = PureHdfInternals.Layout(file.Dataset(dataset))!;
        var shape = file.Dataset(dataset).Space.Dimensions;
        if (layout == OptimizeLayouts.Contiguous)
        {
            Assert.Equal(StorageLayout.Contiguous, storage.Class);
            Assert.Empty(storage.Filters);
            return;
        }
        Assert.Equal(StorageLayout.Chunked, storage.Class);
        Assert.Equal([1UL, .. shape.Skip(1)], storage.ChunkDims!);
        Assert.Equal(deflate is null ? [] : ["deflate"], storage.Filters.Select(f => f.Name));
    }

    private static List<string> Names(IH5Group file) => file.Children().Select(c => c.Name).Order(StringComparer.Ordinal).ToList();

    private static byte[] Bytes(IH5Dataset dataset) => dataset.Type.Size == 8
        ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(dataset.Read<long[]>().AsSpan()).ToArray()
        : dataset.Read<byte[]>();
}
