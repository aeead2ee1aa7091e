using PureHDF;
using WebTrainer.Shared.Datasets;
using WebTrainer.Testing;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;
using WebTrainer.Worker.Optimizing;
using WebTrainer.Worker.Tests.Training;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Optimizing;

public sealed class FileOptimizerTests : IDisposable
{
    private const long SmallBlock = 16 * 1024;
    private readonly TempDirectory _folder = new("optimize");

    public static TheoryData<string, int?> Layouts => new()
    {
        { OptimizeLayouts.Contiguous, null },
        { OptimizeLayouts.Chunked, null },
        { OptimizeLayouts.Chunked, 4 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Optimizer_OnH5pyGuessedChunks_WritesEveryDatasetByteForByteInTheRequestedLayout(string layout, int? deflate)
    {
        var input = BadChunksFile.Write(_folder.File("in.h5"));
        var output = _folder.File("out.h5");
        var sink = new RecordingSink();

        new FileOptimizer(SmallBlock, sink, new RunPosition()).Run(1, input, output, layout, deflate, CancellationToken.None);

        AssertSameContent(input, output);
        Assert.False(File.Exists(OptimizeFiles.Partial(output)));
        Assert.False(File.Exists(OptimizeFiles.Journal(output)));
        foreach (var name in new[] { "train_img", "valid_img", "test_img" })
        {
            AssertLayout(output, name, layout, deflate);
        }
        Assert.True(sink.Batches.Count > 3, "progress is reported per step");
        Assert.Equal(600, sink.Batches[^1].Batch);
        Assert.Equal(600, sink.Batches[^1].BatchesPerEpoch);
    }

    [Fact]
    public void Optimizer_KilledMidway_ResumesFromTheRowsItWrote()
    {
        var input = BadChunksFile.Write(_folder.File("in.h5"));
        var output = _folder.File("out.h5");
        var first = new RunPosition();
        // A death in the fourth step: what the first three wrote is on disk and in the journal.
        first.Moved += point =>
        {
            if (point.Batch == 4)
            {
                throw new IOException("simulated death");
            }
        };
        Assert.Throws<IOException>(() =>
            new FileOptimizer(SmallBlock, new RecordingSink(), first).Run(7, input, output, OptimizeLayouts.Contiguous, null, CancellationToken.None));
        Assert.True(File.Exists(OptimizeFiles.Partial(output)));
        Assert.False(File.Exists(output));

        var sink = new RecordingSink();
        new FileOptimizer(SmallBlock, sink, new RunPosition()).Run(7, input, output, OptimizeLayouts.Contiguous, null, CancellationToken.None);

        // 16 KB steps of 768-byte images: 21 rows each, three of them written before the death.
        var resumed = Assert.Single(sink.Events, e => e.Message.StartsWith("Resuming", StringComparison.Ordinal));
        Assert.Equal("Resuming: 63 of 600 rows were written by an earlier attempt", resumed.Message);
        Assert.Equal(84, sink.Batches[0].Batch);
        AssertSameContent(input, output);
    }

    [Fact]
    public void Optimizer_Cancelled_StopsAtTheNextStep()
    {
        var input = BadChunksFile.Write(_folder.File("in.h5"));
        var output = _folder.File("out.h5");
        using var cancel = new CancellationTokenSource();
        var position = new RunPosition();
        position.Moved += point =>
        {
            if (point.Batch == 2)
            {
                cancel.Cancel();
            }
        };
        var sink = new RecordingSink();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new FileOptimizer(SmallBlock, sink, position).Run(1, input, output, OptimizeLayouts.Contiguous, null, cancel.Token));

        Assert.Equal(2, sink.Batches.Count);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Optimizer_WhenTheOutputExists_RefusesToOverwriteIt()
    {
        var input = BadChunksFile.Write(_folder.File("in.h5"));
        var output = _folder.File("out.h5");
        File.WriteAllText(output, "mine");

        var error = Assert.Throws<InvalidOperationException>(() =>
            new FileOptimizer(SmallBlock, new RecordingSink(), new RunPosition()).Run(1, input, output, OptimizeLayouts.Contiguous, null, CancellationToken.None));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(output));
    }

    internal static void AssertSameContent(string input, string output)
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

    internal static void AssertLayout(string output, string dataset, string layout, int? deflate)
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

    private static byte[] Bytes(IH5Dataset dataset) => dataset.Type.Size == 8 ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(dataset.Read<long[]>().AsSpan()).ToArray() : dataset.Read<byte[]>();

    public void Dispose() => _folder.Dispose();
}
