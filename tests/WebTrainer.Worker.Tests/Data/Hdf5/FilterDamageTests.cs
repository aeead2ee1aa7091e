using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

/// <summary>
/// Damaged chunks of the filtered h5py fixtures (copied and broken at test time) are clear errors that
/// name the file, the dataset, the chunk and its rows; filters without a decoder are refused with advice.
/// </summary>
public sealed class FilterDamageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Read_OfChunkFailingItsFletcher32Checksum_NamesDatasetChunkAndRows()
    {
        // Two images per chunk: chunk 17 holds rows 34 and 35. One flipped bit inside its pixels.
        var file = Damage("fletcher32", "train_img", 17, stored => stored[100] ^= 0x10);
        var images = ImageDataset.Open(file, "train_img");
        using var reader = images.OpenReader();
        var destination = new byte[4 * images.RowBytes];

        images.ReadRows(reader, [30, 31, 32, 33], destination); // neighbouring chunks still read
        var problem = Assert.Throws<DatasetProblemException>(() => images.ReadRows(reader, [33, 34], destination.AsSpan(0, (int)(2 * images.RowBytes))));

        Assert.Equal("train_img", problem.Dataset);
        Assert.Equal(file, problem.File);
        Assert.Equal("chunk 17 (rows 34–35) fails its fletcher32 checksum: the file is damaged", problem.Problem);
    }

    [Fact]
    public void Read_OfChunkDamagedUnderGzipAndFletcher32_FailsTheChecksumBeforeInflating()
    {
        var file = Damage("fletcher32", "valid_img", 5, stored => stored[stored.Length / 2] ^= 0xff);
        var images = ImageDataset.Open(file, "valid_img");
        using var reader = images.OpenReader();

        var problem = Assert.Throws<DatasetProblemException>(() => images.ReadRows(reader, [10], new byte[images.RowBytes]));

        Assert.Equal("chunk 5 (rows 10–11) fails its fletcher32 checksum: the file is damaged", problem.Problem);
    }

    [Fact]
    public void Read_OfCorruptLzfChunk_IsAClearErrorNamingTheChunk()
    {
        // A back reference at the very start points before the chunk.
        var file = Damage("lzf", "valid_img", 3, stored => (stored[0], stored[1]) = (0x20, 0x05));
        var images = ImageDataset.Open(file, "valid_img");
        using var reader = images.OpenReader();

        var problem = Assert.Throws<DatasetProblemException>(() => images.ReadRows(reader, [2, 3, 4], new byte[3 * images.RowBytes]));

        Assert.Equal("valid_img", problem.Dataset);
        Assert.StartsWith("chunk 3 (row 3) cannot be decoded (lzf back reference", problem.Problem, StringComparison.Ordinal);
        Assert.EndsWith("the file is damaged", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfLzfChunkSplittingImages_NamesItsFirstElement()
    {
        // Guessed chunks [64,8,8,2]: the grid is 4x2x2x2, so linear chunk 9 starts at [64,0,0,2].
        var file = Damage("lzf", "train_img", 9, stored => Array.Fill(stored, (byte)0xff));
        var images = ImageDataset.Open(file, "train_img");
        using var reader = images.OpenReader();

        var problem = Assert.Throws<DatasetProblemException>(() => images.ReadRows(reader, [70], new byte[images.RowBytes]));

        Assert.StartsWith("chunk 9 (rows 64–127, from element [64,0,0,2]) cannot be decoded (lzf", problem.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("block", "cannot be decoded (lz4 block at input byte 16 is corrupt")]
    [InlineData("size", "cannot be decoded (lz4 block of 4294967295 bytes at input byte 16 runs past the end of the chunk")]
    [InlineData("total", "cannot be decoded (lz4 chunk says it decodes to 769 bytes, expected 768")]
    public void Read_OfCorruptLz4Chunk_IsAClearErrorNamingTheChunk(string damage, string expected)
    {
        var file = Damage("lz4", "train_img", 40, stored =>
        {
            switch (damage)
            {
                case "block":
                    Array.Fill(stored, (byte)0xff, 16, stored.Length - 16); // literal lengths running past the end
                    break;
                case "size":
                    Array.Fill(stored, (byte)0xff, 12, 4);
                    break;
                default:
                    stored[7]++;
                    break;
            }
        });
        var images = ImageDataset.Open(file, "train_img");
        using var reader = images.OpenReader();

        var problem = Assert.Throws<DatasetProblemException>(() => images.ReadRows(reader, [40], new byte[images.RowBytes]));

        Assert.Equal("train_img", problem.Dataset);
        Assert.StartsWith($"chunk 40 (row 40) {expected}", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfCorruptZstdChunk_IsAClearErrorNamingTheChunk()
    {
        var file = Damage("zstd", "test_img", 7, stored => Array.Fill(stored, (byte)0, 0, 4)); // not a zstd frame
        var images = ImageDataset.Open(file, "test_img");
        using var reader = images.OpenReader();

        var problem = Assert.Throws<DatasetProblemException>(() => images.ReadRows(reader, [7], new byte[images.RowBytes]));

        Assert.StartsWith("chunk 7 (row 7) cannot be decoded (", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OfBloscImages_RefusesNamingTheFilterAndHowToResave()
    {
        var file = H5pyLayoutTests.Fixture("blosc");

        var problem = Assert.Throws<DatasetProblemException>(() => ImageDataset.Open(file, "train_img"));

        Assert.Equal("h5py_splits_blosc.h5, dataset 'train_img': uses the blosc filter, which cannot be decoded here; " +
            "re-save it with h5py's compression=\"gzip\" or \"lzf\" (or h5repack -f GZIP=4 with the blosc plugin installed)", problem.Message);
    }

    [Fact]
    public void Open_OfBigEndianImagesWithoutARawPath_RefusesAtOpenRatherThanAtTheFirstRead()
    {
        var file = H5pyLayoutTests.Fixture("bigendian");

        var problem = Assert.Throws<DatasetProblemException>(() => ImageDataset.Open(file, "compact_img"));

        Assert.Equal("big-endian pixels stored compact cannot be read here; re-save them little-endian (h5py's default), contiguous or chunked",
            problem.Problem);
    }

    [Fact]
    public void Validate_OfBloscImages_GivesTheSameRefusal()
    {
        var file = H5pyLayoutTests.Fixture("blosc");
        var spec = new DatasetSpec { File = file, Train = new SplitSpec { Images = "train_img", Labels = "train_labels" } };

        var problems = DatasetValidator.Check(file, spec, CancellationToken.None);

        var problem = Assert.Single(problems);
        Assert.Equal("train_img", problem.Dataset);
        Assert.StartsWith("uses the blosc filter, which cannot be decoded here; re-save it with h5py's compression=\"gzip\"", problem.Problem, StringComparison.Ordinal);
    }

    private string Damage(string layout, string dataset, long chunk, Action<byte[]> damage) =>
        DamagedFixtures.Write(_temp, layout, dataset, chunk, damage);

    public void Dispose() => _temp.Dispose();
}
