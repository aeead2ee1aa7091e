using PureHDF;
using PureHDF.Filters;
using WebTrainer.Testing;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

/// <summary>Every raw read path must return exactly the bytes PureHDF's own reader returns.</summary>
public sealed class RawReaderTests : IDisposable
{
    private const int N = 101; // not a multiple of any chunk size below: edge chunks are partial
    private readonly TempDirectory _temp = new();

    public static TheoryData<string, string> PureHdfLayouts => new()
    {
        { "contiguous_u8", "contiguous (raw)" },
        { "contiguous_f32_nchw", "contiguous (raw)" },
        { "one_per_chunk_u8", "chunked [1,16,12,3] Implicit (raw)" },
        { "multi_chunk_u8", "chunked [8,16,12,3] Implicit (raw)" },
        { "deflate_u8", "chunked [8,16,12,3] FixedArray, deflate (raw)" },
        { "shuffle_deflate_f32", "chunked [8,3,16,12] FixedArray, shuffle+deflate (raw)" },
        { "one_per_chunk_deflate_u8", "chunked [1,16,12,3] FixedArray, deflate (raw)" },
        { "single_chunk_u8", "chunked [101,16,12,3] SingleChunk (raw)" },
        { "single_chunk_deflate_f32", "chunked [101,3,16,12] SingleChunk, deflate (raw)" },
        { "split_images_u8", "chunked [5,7,5,3] Implicit (raw)" },
        { "split_images_shuffle_deflate_f32", "chunked [6,2,7,5] FixedArray, shuffle+deflate (raw)" },
    };

    [Theory]
    [MemberData(nameof(PureHdfLayouts))]
    public void RawReader_MatchesPureHdf_ByteForByte(string dataset, string expectedPath)
    {
        var path = WriteLayouts();
        AssertMatchesPureHdf(path, dataset, expectedPath);
    }

    [Theory]
    [InlineData("h5py_layouts.h5", "btree_one_per_chunk", "chunked [1,12,10,3] BTree1 (raw)")]
    [InlineData("h5py_layouts.h5", "btree_multi_gzip_shuffle", "chunked [4,3,10,12] BTree1, shuffle+deflate (raw)")]
    [InlineData("h5py_layouts.h5", "btree_auto_chunks_gzip", "chunked [5,5,4,2] BTree1, deflate (raw)")]
    [InlineData("h5py_layouts.h5", "contiguous", "contiguous (raw)")]
    [InlineData("h5py_layouts_latest.h5", "fixed_array_paged", "chunked [1,6,5,3] FixedArray (raw)")]
    [InlineData("h5py_layouts_latest.h5", "fixed_array_paged_gzip", "chunked [1,6,5,3] FixedArray, deflate (raw)")]
    [InlineData("h5py_layouts_latest.h5", "extensible_array", "chunked [4,12,10,3] ExtensibleArray (raw)")]
    public void RawReader_MatchesPureHdf_OnFilesWrittenByLibhdf5(string file, string dataset, string expectedPath)
    {
        AssertMatchesPureHdf(Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", file), dataset, expectedPath);
    }

    [Fact]
    public void Open_ReportsTruncatedFile_NamingTheFile()
    {
        var path = WriteLayouts();
        var bytes = File.ReadAllBytes(path);
        var truncated = _temp.File("truncated.h5");
        // Keep the metadata (PureHDF writes it first) but cut off the end of the raw data.
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 20_000)]);

        var problem = Assert.Throws<DatasetProblemException>(() => ImageDataset.Open(truncated, "contiguous_u8"));

        Assert.Equal(truncated, problem.File);
        Assert.Contains("truncated", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRows_AnnouncesEveryRunToTheOs_BeforeReadingAny()
    {
        var path = WriteLayouts();
        var images = ImageDataset.Open(path, "one_per_chunk_u8");
        var reader = new RecordingReader();

        images.ReadRows(reader, [2, 3, 4, 9, 20, 21], new byte[6 * images.RowBytes]);

        Assert.Equal(["will 2+3", "will 9+1", "will 20+2", "read 2+3", "read 9+1", "read 20+2"], reader.Calls);
    }

    private sealed class RecordingReader : IRowReader
    {
        public List<string> Calls { get; } = [];

        public void WillRead(long firstRow, int count) => Calls.Add($"will {firstRow}+{count}");

        public void ReadRun(long firstRow, int count, Span<byte> destination) => Calls.Add($"read {firstRow}+{count}");

        public void Dispose()
        {
        }
    }

    private static void AssertMatchesPureHdf(string path, string dataset, string expectedPath)
    {
        var expected = TestFiles.ReadAllWithPureHdf(path, dataset);
        var images = ImageDataset.Open(path, dataset);
        Assert.Equal(expectedPath, images.ReadPath);
        long n = images.Count, rowBytes = images.RowBytes;
        Assert.Equal(expected.Length, n * rowBytes);
        using var reader = images.OpenReader();

        var all = new byte[n * rowBytes];
        images.ReadRows(reader, Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray(), all);
        Assert.Equal(expected, all);

        // Sorted random subsets with gaps and runs, as batches are read, and rows read singly backwards.
        var random = new Random(5);
        for (int trial = 0; trial < 5; trial++)
        {
            var rows = Enumerable.Range(0, (int)n).Where(_ => random.NextDouble() < 0.3).Select(i => (long)i).ToArray();
            var got = new byte[rows.Length * rowBytes];
            images.ReadRows(reader, rows, got);
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.True(expected.AsSpan((int)(rows[i] * rowBytes), (int)rowBytes).SequenceEqual(got.AsSpan((int)(i * rowBytes), (int)rowBytes)),
                    $"row {rows[i]} differs");
            }
        }
        var one = new byte[rowBytes];
        for (long row = n - 1; row >= 0; row -= 3)
        {
            reader.ReadRun(row, 1, one);
            Assert.True(expected.AsSpan((int)(row * rowBytes), (int)rowBytes).SequenceEqual(one), $"row {row} differs");
        }
    }

    private string WriteLayouts()
    {
        var path = _temp.File("layouts.h5");
        if (File.Exists(path))
        {
            return path;
        }
        ulong[] nhwc = [N, 16, 12, 3], nchw = [N, 3, 16, 12];
        var u8 = TestFiles.Bytes(N * 16 * 12 * 3, 1);
        var f32 = TestFiles.Floats(N * 16 * 12 * 3, 2);
        H5Filter deflate = TestFiles.Deflate, shuffle = TestFiles.Shuffle;
        var file = new H5File
        {
            ["contiguous_u8"] = TestFiles.Images(u8, nhwc),
            ["contiguous_f32_nchw"] = TestFiles.Images(f32, nchw),
            ["one_per_chunk_u8"] = TestFiles.Images(u8, nhwc, [1, 16, 12, 3]),
            ["multi_chunk_u8"] = TestFiles.Images(u8, nhwc, [8, 16, 12, 3]),
            ["deflate_u8"] = TestFiles.Images(u8, nhwc, [8, 16, 12, 3], deflate),
            ["shuffle_deflate_f32"] = TestFiles.Images(f32, nchw, [8, 3, 16, 12], shuffle, deflate),
            ["one_per_chunk_deflate_u8"] = TestFiles.Images(u8, nhwc, [1, 16, 12, 3], deflate),
            ["single_chunk_u8"] = TestFiles.Images(u8, nhwc, [N, 16, 12, 3]),
            ["single_chunk_deflate_f32"] = TestFiles.Images(f32, nchw, [N, 3, 16, 12], deflate),
            ["split_images_u8"] = TestFiles.Images(u8, nhwc, [5, 7, 5, 3]),
            ["split_images_shuffle_deflate_f32"] = TestFiles.Images(f32, nchw, [6, 2, 7, 5], shuffle, deflate),
        };
        file.Write(path);
        return path;
    }

    public void Dispose() => _temp.Dispose();
}
