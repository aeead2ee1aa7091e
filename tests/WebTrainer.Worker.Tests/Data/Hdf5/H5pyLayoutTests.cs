using System.Runtime.InteropServices;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

/// <summary>
/// The h5py_splits_* fixtures hold the same Fashion-MNIST splits stored many ways (make_h5py_splits.py);
/// every resizable or filtered layout must decode exactly like the contiguous copy, through a raw read path.
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

    /// <summary>Filters PureHDF cannot decode (so only the raw path reads them), or not always at full speed.</summary>
    public static TheoryData<string, string, string> FilteredLayouts => new()
    {
        { "fletcher32", "train", "chunked [2,16,16,3] BTree1, fletcher32 (raw)" },
        { "fletcher32", "valid", "chunked [2,16,16,3] BTree1, shuffle+deflate+fletcher32 (raw)" },
        { "fletcher32", "test", "chunked [1,16,16,3] BTree1, fletcher32 (raw)" },
        { "lzf", "train", "chunked [64,8,8,2] BTree1, shuffle+lzf (raw)" },
        { "lzf", "valid", "chunked [1,16,16,3] BTree1, lzf (raw)" },
        { "lzf", "test", "chunked [1,16,16,3] BTree1, shuffle+lzf (raw)" },
        { "lz4", "train", "chunked [1,16,16,3] BTree1, lz4 (raw)" },
        { "lz4", "valid", "chunked [4,16,16,3] BTree1, lz4 (raw)" },
        { "lz4", "test", "chunked [1,16,16,3] BTree1, shuffle+lz4 (raw)" },
        { "zstd", "train", "chunked [1,16,16,3] FixedArray, zstd (raw)" },
        { "zstd", "valid", "chunked [4,16,16,3] FixedArray, zstd (raw)" },
        { "zstd", "test", "chunked [1,16,16,3] FixedArray, zstd (raw)" },
    };

    public static TheoryData<string, string> LabelLayouts
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var layout in new[] { "earray", "btree2", "earray_gzip", "fletcher32", "bigendian", "lzf", "lz4", "zstd" })
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
        AssertDecodesLike(expected, Fixture(layout), $"{split}_img", expectedPath);
    }

    [Theory]
    [MemberData(nameof(FilteredLayouts))]
    public void Images_InFilteredLayout_DecodeByteForByteLikeTheContiguousCopy(string layout, string split, string expectedPath)
    {
        var expected = ReadAll(Fixture("contiguous"), $"{split}_img", out _);

        AssertDecodesLike(expected, Fixture(layout), $"{split}_img", expectedPath);
    }

    /// <summary>
    /// Random bytes do not compress: h5py's LZF filter then fails, and libhdf5 (the filter being optional)
    /// stores the chunk as is with its filter-mask bit set; the LZ4 filter stores such blocks raw inside
    /// its framing; the zstd file has one chunk written with the mask bit set.
    /// </summary>
    [Theory]
    [InlineData("lzf", "chunked [1,16,16,3] BTree1, lzf (raw)")]
    [InlineData("lz4", "chunked [1,16,16,3] BTree1, lz4 (raw)")]
    [InlineData("zstd", "chunked [1,16,16,3] FixedArray, zstd (raw)")]
    public void Images_StoredAsIsWhereCompressionDidNotHelp_DecodeLikeThePlainCopy(string layout, string expectedPath)
    {
        var expected = ReadAll(Fixture(layout), "noise_ref", out var referencePath);
        Assert.Equal("contiguous (raw)", referencePath);

        AssertDecodesLike(expected, Fixture(layout), "noise_img", expectedPath);
    }

    [Fact]
    public void Images_WithFletcher32OnOddLengthChunks_VerifyAndDecodeLikeThePlainCopy()
    {
        var expected = ReadAll(Fixture("fletcher32"), "odd_ref", out _);
        Assert.Equal(expected, TestFiles.ReadAllWithPureHdf(Fixture("fletcher32"), "odd_img"));

        AssertDecodesLike(expected, Fixture("fletcher32"), "odd_img", "chunked [1,5,5,3] BTree1, fletcher32 (raw)");
    }

    [Theory]
    [InlineData("train_img", "chunked [1,16,16,3] FixedArray, shuffle+deflate, big-endian (raw)")]
    [InlineData("valid_img", "contiguous, big-endian (raw)")]
    [InlineData("test_img", "chunked [1,16,16,3] ExtensibleArray, big-endian (raw)")]
    public void Images_BigEndianFloat32_DecodeToNativeFloatsOfTheContiguousPixels(string dataset, string expectedPath)
    {
        var pixels = ReadAll(Fixture("contiguous"), dataset, out _);
        var expected = MemoryMarshal.AsBytes(Array.ConvertAll(pixels, b => (float)b).AsSpan()).ToArray();

        var images = AssertDecodesLike(expected, Fixture("bigendian"), dataset, expectedPath);

        Assert.Equal(PixelType.Float32, images.PixelType);
    }

    [Fact]
    public void Images_BigEndianFloat16_DecodeToNativeHalvesOfTheContiguousPixels()
    {
        var pixels = ReadAll(Fixture("contiguous"), "train_img", out _);
        var expected = MemoryMarshal.AsBytes(Array.ConvertAll(pixels, b => (Half)b).AsSpan()).ToArray();

        var images = AssertDecodesLike(expected, Fixture("bigendian"), "train_img_f2", "chunked [8,16,16,3] FixedArray, big-endian (raw)");

        Assert.Equal(PixelType.Float16, images.PixelType);
    }

    [Fact]
    public void Labels_BigEndianUInt16_ReadLikeTheContiguousInt64Labels()
    {
        var expected = LabelDataset.Read(Fixture("contiguous"), "train_labels");

        var labels = LabelDataset.Read(Fixture("bigendian"), "train_labels_u2");

        Assert.Equal(expected.Classes, labels.Classes);
        Assert.Equal(10, labels.ClassCount);
    }

    /// <summary>Reads the whole dataset, then random sorted subsets, and compares each row with <paramref name="expected"/>.</summary>
    private static ImageDataset AssertDecodesLike(byte[] expected, string file, string dataset, string expectedPath)
    {
        var images = ImageDataset.Open(file, dataset);
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
                    $"{Path.GetFileName(file)} {dataset} row {rows[i]} differs");
            }
        }
        return images;
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
    [InlineData("fletcher32", 0)]
    [InlineData("lz4", 0)]
    [InlineData("zstd", 0)]
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

    public static string Fixture(string layout) =>
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
