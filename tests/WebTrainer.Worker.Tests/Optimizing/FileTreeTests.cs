using PureHDF;
using WebTrainer.Shared.Datasets;
using WebTrainer.Testing;
using WebTrainer.Worker.Optimizing;
using WebTrainer.Worker.Tests.Training;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Optimizing;

/// <summary>The whole file is copied: nested groups and their attributes, images inside groups, scalars, strings, integers of any width.</summary>
public sealed class FileTreeTests : IDisposable
{
    private readonly TempDirectory _folder = new("optimize-tree");

    [Fact]
    public void Optimizer_CopiesGroupsAttributesAndEveryKindOfDataset()
    {
        var pixels = RandomBytes(40 * 4 * 4);
        var input = _folder.File("in.h5");
        var file = new H5File
        {
            ["meta"] = new H5Group
            {
                ["thumbs"] = new H5Dataset(pixels, fileDims: [40, 4, 4], chunks: [20, 2, 2]),
                ["ids"] = new H5Dataset(Enumerable.Range(0, 40).Select(i => (short)(i * 3 - 7)).ToArray(), fileDims: [40]),
                ["names"] = new H5Dataset(Enumerable.Range(0, 3).Select(i => $"name {i}").ToArray(), fileDims: [3]),
                ["version"] = new H5Dataset(7.5),
                ["grid"] = new H5Dataset(Enumerable.Range(0, 12).Select(i => (double)i / 3).ToArray(), fileDims: [3, 4]),
            },
        };
        ((H5Group)file["meta"]).Attributes["source"] = "camera 2";
        ((H5Group)file["meta"]).Attributes["scale"] = new[] { 0.5f, 2f };
        file.Attributes["count"] = 40L;
        file.Write(input);
        var output = _folder.File("out.h5");

        new FileOptimizer(4096, new RecordingSink(), new RunPosition()).Run(1, input, output, OptimizeLayouts.Chunked, null, CancellationToken.None);

        using var a = H5File.OpenRead(input);
        using var b = H5File.OpenRead(output);
        Assert.Equal(a.Dataset("/meta/thumbs").Read<byte[]>(), b.Dataset("/meta/thumbs").Read<byte[]>());
        Hdf5Compare.AssertLayout(output, "/meta/thumbs", OptimizeLayouts.Chunked, null);
        Assert.Equal(a.Dataset("/meta/ids").Read<short[]>(), b.Dataset("/meta/ids").Read<short[]>());
        Assert.Equal(a.Dataset("/meta/names").Read<string[]>(), b.Dataset("/meta/names").Read<string[]>());
        Assert.Equal(7.5, b.Dataset("/meta/version").Read<double>());
        Assert.Equal([3UL, 4], b.Dataset("/meta/grid").Space.Dimensions);
        Assert.Equal(a.Dataset("/meta/grid").Read<double[]>(), b.Dataset("/meta/grid").Read<double[]>());
        Assert.Equal("camera 2", b.Group("/meta").Attribute("source").Read<string>());
        Assert.Equal([0.5f, 2f], b.Group("/meta").Attribute("scale").Read<float[]>());
        Assert.Equal(40L, b.Attribute("count").Read<long>());
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(5).NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => _folder.Dispose();
}
