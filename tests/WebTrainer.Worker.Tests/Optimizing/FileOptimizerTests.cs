using WebTrainer.Shared.Datasets;
using WebTrainer.Testing;
using WebTrainer.Worker.Optimizing;
using WebTrainer.Worker.Tests.Training;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Optimizing;

/// <summary>The optimiser on a file with h5py's guessed chunks: same bytes, requested layout, resume, cancel, no overwrite.</summary>
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

        Hdf5Compare.AssertSameContent(input, output);
        Assert.Empty(Leftovers());
        foreach (var name in new[] { "train_img", "valid_img", "test_img" })
        {
            Hdf5Compare.AssertLayout(output, name, layout, deflate);
        }
        Assert.True(sink.Batches.Count > 3, "progress is reported per step");
        Assert.Equal(600, sink.Batches[^1].Batch);
        Assert.Equal(600, sink.Batches[^1].BatchesPerEpoch);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Optimizer_KilledMidway_ResumesFromTheRowsItWrote(string layout, int? deflate)
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
            new FileOptimizer(SmallBlock, new RecordingSink(), first).Run(7, input, output, layout, deflate, CancellationToken.None));
        Assert.True(File.Exists(OptimizeFiles.Partial(output)));
        Assert.False(File.Exists(output));

        var sink = new RecordingSink();
        new FileOptimizer(SmallBlock, sink, new RunPosition()).Run(7, input, output, layout, deflate, CancellationToken.None);

        // 16 KB steps of 768-byte images in chunks of 16 rows: 16 rows each, three of them written before the death.
        var resumed = Assert.Single(sink.Events, e => e.Message.StartsWith("Resuming", StringComparison.Ordinal));
        Assert.Equal("Resuming: 48 of 600 rows were written by an earlier attempt", resumed.Message);
        Assert.Equal(64, sink.Batches[0].Batch);
        Hdf5Compare.AssertSameContent(input, output);
        Hdf5Compare.AssertLayout(output, "train_img", layout, deflate);
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void Optimizer_WhenAnInputChunkRowIsLargerThanABlock_StepsAWholeChunkRowSoEachChunkIsDecodedOnce()
    {
        var input = BadChunksFile.Write(_folder.File("in.h5"), rowsPerChunk: 100);
        var output = _folder.File("out.h5");
        var sink = new RecordingSink();

        new FileOptimizer(SmallBlock, sink, new RunPosition()).Run(1, input, output, OptimizeLayouts.Contiguous, null, CancellationToken.None);

        Assert.Equal([100, 200, 300, 400, 500, 600], sink.Batches.Select(b => b.Batch));
        Hdf5Compare.AssertSameContent(input, output);
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

    [Fact]
    public void Optimizer_WhenAnotherJobsPartialFileIsThere_FailsAndLeavesItAlone()
    {
        var input = BadChunksFile.Write(_folder.File("in.h5"));
        var output = _folder.File("out.h5");
        var first = new RunPosition();
        first.Moved += point =>
        {
            if (point.Batch == 2)
            {
                throw new IOException("simulated death");
            }
        };
        Assert.Throws<IOException>(() =>
            new FileOptimizer(SmallBlock, new RecordingSink(), first).Run(7, input, output, OptimizeLayouts.Contiguous, null, CancellationToken.None));
        var partial = File.ReadAllBytes(OptimizeFiles.Partial(output));

        var error = Assert.Throws<InvalidOperationException>(() =>
            new FileOptimizer(SmallBlock, new RecordingSink(), new RunPosition()).Run(8, input, output, OptimizeLayouts.Contiguous, null, CancellationToken.None));
        OptimizeFiles.Discard(output, 8);

        Assert.Equal("optimise job 7 is writing out.h5; its partial file is left alone", error.Message);
        Assert.Equal(partial, File.ReadAllBytes(OptimizeFiles.Partial(output)));
        Assert.True(File.Exists(OptimizeFiles.Journal(output)));
    }

    /// <summary>The partial output, its journal and chunk log.</summary>
    private List<string> Leftovers() =>
        Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Where(f => f!.StartsWith("out.h5.", StringComparison.Ordinal)).ToList()!;

    public void Dispose() => _folder.Dispose();
}
