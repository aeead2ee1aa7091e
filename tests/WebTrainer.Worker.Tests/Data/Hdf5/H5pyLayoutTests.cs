using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

/// <summary>
/// The h5py_splits_* fixtures hold the same Fashion-MNIST splits stored four ways (make_h5py_splits.py);
/// every resizable layout must decode exactly like the contiguous copy, through a raw read path.
/// </summary>
public sealed class H5pyLayoutTests
{
    public static TheoryData<string, string, string> ImageLayouts
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var split in new[] { "train", "valid", "test" })
            {
                data.Add("earray", split, "chunked [1,16,16,3] ExtensibleArray (raw)");
                data.Add("btree2", split, "chunked [1,16,16,3] BTree2 (raw)");
                data.Add("earray_gzip", split, "chunked [1,16,16,3] ExtensibleArray, deflate (raw)");
            }
            return data;
        }
    }

    public static TheoryData<string, string> LabelLayouts
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var layout in new[] { "earray", "btree2", "earray_gzip" })
            {
                foreach (var dataset in new[] { "train_labels", "valid_labels", "test_labels", "train_onehot", "valid_onehot", "test_onehot" })
                {
                    data.Add(layout, dataset);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ImageLayouts))]
    public void Images_InResizableLayout_DecodeByteForByteLikeTheContiguousCopy(string layout, string split, string expectedPath)
    {
        var expected = ReadAll(Fixture("contiguous"), $"{split}_img", out var referencePath);
        Assert.Equal("contiguous (raw)", referencePath);
        Assert.Equal(expected, TestFiles.ReadAllWithPureHdf(Fixture(layout), $"{split}_img"));
        var images = ImageDataset.Open(Fixture(layout), $"{split}_img");
        Assert.Equal(expectedPath, images.ReadPath);
        long rowBytes = images.RowBytes;
        using var reader = images.OpenReader();

        var all = new byte[images.Count * rowBytes];
        images.ReadRows(reader, Enumerable.Range(0, (int)images.Count).Select(i => (long)i).ToArray(), all);
        Assert.Equal(expected, all);

        var random = new Random(11);
        for (int trial = 0; trial < 8; trial++)
        {
            var rows = Enumerable.Range(0, (int)images.Count).Where(_ => random.NextDouble() < 0.2).Select(i => (long)i).ToArray();
            var got = new byte[rows.Length * rowBytes];
            images.ReadRows(reader, rows, got);
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.True(expected.AsSpan((int)(rows[i] * rowBytes), (int)rowBytes).SequenceEqual(got.AsSpan((int)(i * rowBytes), (int)rowBytes)),
                    $"{layout} {split} row {rows[i]} differs");
            }
        }
    }

    [Theory]
    [MemberData(nameof(LabelLayouts))]
    public void Labels_InResizableLayout_ReadLikeTheContiguousCopy(string layout, string dataset)
    {
        var expected = LabelDataset.Read(Fixture("contiguous"), dataset);

        var labels = LabelDataset.Read(Fixture(layout), dataset);

        Assert.Equal(expected.Classes, labels.Classes);
        Assert.Equal(expected.ClassCount, labels.ClassCount);
        Assert.Equal(expected.OneHot, labels.OneHot);
    }

    /// <summary>
    /// Reading must not make garbage in proportion to the bytes read: every collection while libtorch runs
    /// risks TorchSharp freeing a Scalar under it (issue 9). The PureHDF fallback these files used to take
    /// allocated about 9 KB per 768-byte row here (2.4–2.8 MB an epoch). Once warm, the raw reader allocates
    /// nothing for unfiltered chunks, and for deflate only the decompressor objects .NET makes per chunk.
    /// </summary>
    [Theory]
    [InlineData("earray", 0)]
    [InlineData("btree2", 0)]
    [InlineData("earray_gzip", 1024)]
    public void Reader_OnResizableLayout_DoesNotAllocatePerByteRead_OnceWarm(string layout, int allowedBytesPerChunk)
    {
        var images = ImageDataset.Open(Fixture(layout), "train_img");
        using var reader = images.OpenReader();
        var batches = Enumerable.Range(0, (int)images.Count).Select(i => (long)i).OrderBy(i => (i * 7919) % images.Count).Chunk(32)
            .Select(rows => rows.Order().ToArray()).ToArray();
        var destination = new byte[32 * images.RowBytes];
        void Epoch()
        {
            foreach (var rows in batches)
            {
                images.ReadRows(reader, rows, destination.AsSpan(0, (int)(rows.Length * images.RowBytes)));
            }
        }
        Epoch();

        long before = GC.GetAllocatedBytesForCurrentThread();
        Epoch();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // One image per chunk: an epoch decodes Count chunks.
        Assert.True(allocated <= 4096 + images.Count * allowedBytesPerChunk, $"an epoch of reads allocated {allocated} bytes");
    }

    private static string Fixture(string layout) =>
        Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", $"h5py_splits_{layout}.h5");

    private static byte[] ReadAll(string file, string dataset, out string readPath)
    {
        var images = ImageDataset.Open(file, dataset);
        readPath = images.ReadPath;
        using var reader = images.OpenReader();
        var all = new byte[images.Count * images.RowBytes];
        images.ReadRows(reader, Enumerable.Range(0, (int)images.Count).Select(i => (long)i).ToArray(), all);
        return all;
    }
}
