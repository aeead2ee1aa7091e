using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.VOL.Native;
using WebTrainer.Shared.Datasets;
using WebTrainer.Testing;
using WebTrainer.Worker.Optimizing;
using WebTrainer.Worker.Tests.Training;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Optimizing;

/// <summary>float32 and float16 images (N,H,W,C and grey N,H,W) come out with the same bits, whatever the layout.</summary>
public sealed class FloatImagesTests : IDisposable
{
    private readonly TempDirectory _folder = new("optimize-float");

    public static TheoryData<string, int?> Layouts => new()
    {
        { OptimizeLayouts.Contiguous, null },
        { OptimizeLayouts.Chunked, null },
        { OptimizeLayouts.Chunked, 1 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Optimizer_OnFloatImages_KeepsEveryBit(string layout, int? deflate)
    {
        const int count = 90;
        var random = new Random(3);
        var floats = Enumerable.Range(0, count * 6 * 6 * 3).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        var halves = Enumerable.Range(0, count * 5 * 7).Select(_ => (Half)random.NextDouble()).ToArray();
        var gzip = new H5DatasetCreation { Filters = [new PureHDF.Filters.H5Filter(1, null!)] };
        var input = _folder.File("in.h5");
        new H5File
        {
            ["train_img"] = new H5Dataset(floats, fileDims: [count, 6, 6, 3], chunks: [30, 2, 3, 1], datasetCreation: gzip),
            ["grey_img"] = new H5Dataset(halves, fileDims: [count, 5, 7], chunks: [45, 5, 2], datasetCreation: gzip),
            ["train_labels"] = new H5Dataset(Enumerable.Range(0, count).Select(i => (long)(i % 3)).ToArray(), fileDims: [count]),
        }.Write(input);
        var output = _folder.File("out.h5");

        new FileOptimizer(2048, new RecordingSink(), new RunPosition()).Run(1, input, output, layout, deflate, CancellationToken.None);

        using var a = H5File.OpenRead(input);
        using var b = H5File.OpenRead(output);
        Assert.Equal(Bits(a.Dataset("train_img").Read<float[]>()), Bits(b.Dataset("train_img").Read<float[]>()));
        Assert.Equal(Bits(a.Dataset("grey_img").Read<Half[]>()), Bits(b.Dataset("grey_img").Read<Half[]>()));
        Assert.Equal(a.Dataset("train_labels").Read<long[]>(), b.Dataset("train_labels").Read<long[]>());
        Assert.Equal([count, 5UL, 7], b.Dataset("grey_img").Space.Dimensions);
        Hdf5Compare.AssertLayout(output, "train_img", layout, deflate);
        Hdf5Compare.AssertLayout(output, "grey_img", layout, deflate);
    }

    private static byte[] Bits<T>(T[] values) where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public void Dispose() => _folder.Dispose();
}
