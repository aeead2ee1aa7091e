using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data.Hdf5;
using Xunit.Abstractions;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

/// <summary>Files written to hurt the readers: each ends in a clear problem, within bounded memory, never a crash.</summary>
public sealed class HostileFileTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Inspect_GroupLinkingBackToTheRoot_NotesTheCycleAndDescribesEachDatasetOnce()
    {
        var path = HostileHdf5Files.GroupCycle(_temp.Path);

        var summary = Hdf5Inspector.Inspect(path, CancellationToken.None);

        Assert.Contains(summary.Problems, p => p.Dataset == "g/up" && p.Problem.Contains("links back to /", StringComparison.Ordinal));
        Assert.Equal(["g/images", "labels"], summary.Datasets.Select(d => d.Path).Order());
    }

    [Fact]
    public void Inspect_GroupsDeeperThanTheLimit_StopsThereWithANote()
    {
        var path = HostileHdf5Files.GroupCycle(_temp.Path);

        var summary = Hdf5Inspector.Inspect(path, CancellationToken.None, new Hdf5Limits { MaxGroupDepth = 1 });

        Assert.Contains(summary.Problems, p => p.Dataset == "g" && p.Problem.Contains("MaxGroupDepth", StringComparison.Ordinal));
        Assert.DoesNotContain(summary.Datasets, d => d.Path == "g/images");
    }

    [Fact]
    public void Inspect_BillionsOfDeclaredChunks_NamesCountAndLimit_WithoutAllocatingForThem()
    {
        var path = HostileHdf5Files.BillionsOfChunks(_temp.Path);
        Hdf5Inspector.Inspect(HostileHdf5Files.Small(_temp.Path), CancellationToken.None); // warm up: JIT and PureHDF's caches

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var summary = Hdf5Inspector.Inspect(path, CancellationToken.None);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"inspecting a file declaring 1.6e9 chunks allocated {allocated} bytes");
        var problem = Assert.Single(summary.Problems, p => p.Dataset == "images").Problem;
        Assert.Contains("1600000000 chunks", problem, StringComparison.Ordinal);
        Assert.Contains(Hdf5Limits.Current.MaxDeclaredChunks.ToString(System.Globalization.CultureInfo.InvariantCulture), problem, StringComparison.Ordinal);
        // A table sized by the declaration would be 1.6e9 x 20 bytes; the file itself is a few KB.
        Assert.InRange(allocated, 0, 64L << 20);
    }

    [Fact]
    public void OpenAndValidate_BillionsOfDeclaredChunks_AreRefusedBeforeTheIndexIsRead()
    {
        var path = HostileHdf5Files.BillionsOfChunks(_temp.Path);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var problem = Assert.Throws<DatasetProblemException>(() => ImageDataset.Open(path, "images"));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal("images", problem.Dataset);
        Assert.Contains("MaxDeclaredChunks", problem.Problem, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 64L << 20);
        Assert.Contains(DatasetValidator.Check(path, Spec(), CancellationToken.None), p => p.Dataset == "images");
    }

    [Fact]
    public void Open_ChunkGridWithinALowerLimit_Opens_AndBeyondIt_IsRefused()
    {
        var path = HostileHdf5Files.Small(_temp.Path);

        Assert.Equal(8, ImageDataset.Open(path, "images", limits: new Hdf5Limits { MaxDeclaredChunks = 4 }).Count);
        var problem = Assert.Throws<DatasetProblemException>(() => ImageDataset.Open(path, "images", limits: new Hdf5Limits { MaxDeclaredChunks = 3 }));
        Assert.Contains("declares 4 chunks", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectAndValidate_DeclaredHugeImages_NameTheDimensionsAndTheLimit()
    {
        var path = HostileHdf5Files.HugeImages(_temp.Path);

        var summary = Hdf5Inspector.Inspect(path, CancellationToken.None);
        var problem = Assert.Throws<DatasetProblemException>(() => DatasetValidator.Validate(path, Spec(), CancellationToken.None));

        Assert.Contains(summary.Problems, p => p.Dataset == "images" && p.Problem.Contains("40000x40000", StringComparison.Ordinal));
        Assert.Equal("images", problem.Dataset);
        Assert.Contains("40000x40000", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("MaxImageSide", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectAndRead_HugeDeclaredLabelCount_AreRefusedBeforeReading()
    {
        var path = HostileHdf5Files.HugeLabelCount(_temp.Path);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var labels = Hdf5Inspector.Inspect(path, CancellationToken.None).Datasets.Single(d => d.Path == "labels").Labels!;
        var problem = Assert.Throws<DatasetProblemException>(() => LabelDataset.Read(path, "labels"));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Contains("10000000000 labels", labels.Problem, StringComparison.Ordinal);
        Assert.Contains("MaxLabelCount", problem.Problem, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 64L << 20);
    }

    [Fact]
    public void Inspect_TruncatedMetadata_IsAClearProblem()
    {
        var path = HostileHdf5Files.TruncatedMetadata(_temp.Path);

        var problem = Assert.Throws<DatasetProblemException>(() => Hdf5Inspector.Inspect(path, CancellationToken.None));

        Assert.Contains("truncated", problem.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void InspectAndValidate_GarbageAfterTheSignature_AreClearProblems(int seed)
    {
        var path = HostileHdf5Files.GarbageAfterSignature(_temp.Path, seed: seed);

        Assert.Throws<DatasetProblemException>(() => Hdf5Inspector.Inspect(path, CancellationToken.None));
        Assert.NotEmpty(DatasetValidator.Check(path, Spec(), CancellationToken.None));
    }

    [Fact]
    public void OpenAndValidate_ChunkAddressPastTheEnd_NameTheDataset()
    {
        var path = HostileHdf5Files.ChunkAddressPastEnd(_temp.Path);

        var problem = Assert.Throws<DatasetProblemException>(() => ImageDataset.Open(path, "images"));

        Assert.Equal("images", problem.Dataset);
        Assert.Contains(DatasetValidator.Check(path, Spec(), CancellationToken.None), p => p.Dataset == "images");
    }

    [Fact]
    public void Read_DeflateBombChunk_StopsAtTheChunksSize_AndNamesTheChunk()
    {
        var path = HostileHdf5Files.DeflateBombChunk(_temp.Path);
        var images = ImageDataset.Open(path, "images");
        using var reader = images.OpenReader();
        var row = new byte[images.RowBytes];
        reader.ReadRun(0, 1, row); // chunk 0 is intact

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var problem = Assert.Throws<DatasetProblemException>(() => reader.ReadRun(1, 1, row));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal("images", problem.Dataset);
        Assert.Contains("more than", problem.Problem, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 4L << 20); // the bomb inflates to 8 MB
    }

    [Fact]
    public async Task InspectAndValidate_EveryOneOf200FlippedMetadataBits_EndInSuccessOrAClearProblem()
    {
        var source = HostileHdf5Files.Small(_temp.Path);
        long metadataBits = Math.Min(new FileInfo(source).Length, 2048) * 8;
        var failures = new List<string>();
        for (int i = 0; i < 200; i++)
        {
            long bit = i * metadataBits / 200 + i % 8;
            var path = HostileHdf5Files.BitFlipped(_temp.Path, bit);
            var run = Task.Run(() =>
            {
                try
                {
                    Hdf5Inspector.Inspect(path, CancellationToken.None);
                }
                catch (DatasetProblemException)
                {
                }
                DatasetValidator.Check(path, Spec(), CancellationToken.None);
            });
            // Generous: each file takes milliseconds; only an endless loop gets near this.
            try
            {
                await run.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                failures.Add($"bit {bit}: no answer within 60 s");
            }
            catch (Exception ex)
            {
                failures.Add($"bit {bit}: {ex.GetType().Name}: {ex.Message}");
            }
            File.Delete(path);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Inspect_Cancelled_StopsWithOperationCanceled()
    {
        var path = HostileHdf5Files.Small(_temp.Path);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Hdf5Inspector.Inspect(path, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => DatasetValidator.Check(path, Spec(), cancelled.Token));
    }

    private static DatasetSpec Spec() => new() { Train = new SplitSpec { Images = "images", Labels = "labels" } };

    public void Dispose() => _temp.Dispose();
}
