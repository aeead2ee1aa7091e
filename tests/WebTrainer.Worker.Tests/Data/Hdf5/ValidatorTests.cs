using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

/// <summary>Each kind of bad file gets a <see cref="DatasetProblemException"/> naming file, dataset and problem.</summary>
public sealed class ValidatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Validate_AGoodFile_FindsNoProblem()
    {
        var path = TestFiles.Split(_temp.File("good.h5"), 30, chunks: [4, 8, 8, 3]);

        Assert.Empty(DatasetValidator.Check(path, Spec(path), CancellationToken.None));
    }

    [Fact]
    public void Validate_NotHdf5() =>
        AssertProblem(Write("random.h5", p => File.WriteAllBytes(p, TestFiles.Bytes(10_000, 3))), null, "not an HDF5 file");

    [Fact]
    public void Validate_TruncatedFile()
    {
        var good = TestFiles.Split(_temp.File("full.h5"), 200, size: 16);
        var bytes = File.ReadAllBytes(good);
        AssertProblem(Write("cut.h5", p => File.WriteAllBytes(p, bytes[..(bytes.Length / 2)])), null, "truncated");
    }

    [Fact]
    public void Validate_MissingDataset() =>
        AssertProblem(TestFiles.Split(_temp.File("missing.h5"), 10), "valid_img", "no such dataset",
            spec => spec with { Validation = new SplitSpec { Images = "valid_img", Labels = "valid_labels" } });

    [Fact]
    public void Validate_ImagesAndLabelsOfDifferentCount() =>
        AssertProblem(Write("count.h5", p => new H5File
        {
            ["train_img"] = TestFiles.Images(TestFiles.Bytes(12 * 192, 1), [12, 8, 8, 3]),
            ["train_labels"] = TestFiles.OneHot(11, 3),
        }.Write(p)), "train_labels", "has 11 labels but 'train_img' has 12 images");

    [Fact]
    public void Validate_UnsupportedDtype() =>
        AssertProblem(Write("dtype.h5", p => new H5File
        {
            ["train_img"] = new H5Dataset(new int[10 * 64 * 3], fileDims: [10, 8, 8, 3]),
            ["train_labels"] = TestFiles.OneHot(10, 3),
        }.Write(p)), "train_img", "unsupported image dtype int32");

    [Fact]
    public void Validate_UnsupportedFilter()
    {
        var path = _temp.File("filter.h5");
        H5Filter.Register(new PassThroughFilter());
        try
        {
            new H5File
            {
                ["train_img"] = new H5Dataset(TestFiles.Bytes(10 * 192, 1), fileDims: [10, 8, 8, 3], chunks: [2, 8, 8, 3],
                    datasetCreation: new H5DatasetCreation { Filters = [new H5Filter(PassThroughFilter.Id, null!)] }),
                ["train_labels"] = TestFiles.OneHot(10, 3),
            }.Write(path);
        }
        finally
        {
            H5Filter.ResetRegistrations();
        }
        AssertProblem(path, "train_img", "filter");
    }

    [Fact]
    public void Validate_NaNInFloatImages()
    {
        var pixels = TestFiles.Floats(40 * 192, 1);
        pixels[39 * 192 + 5] = float.NaN; // in the last row: sampling must include the ends
        AssertProblem(Write("nan.h5", p => new H5File
        {
            ["train_img"] = TestFiles.Images(pixels, [40, 8, 8, 3]),
            ["train_labels"] = TestFiles.OneHot(40, 3),
        }.Write(p)), "train_img", "NaN");
    }

    [Fact]
    public void Validate_LabelsOutOfTheTrainRange()
    {
        var path = Write("range.h5", p => new H5File
        {
            ["train_img"] = TestFiles.Images(TestFiles.Bytes(10 * 192, 1), [10, 8, 8, 3]),
            ["train_labels"] = TestFiles.Integers(10, 3),
            ["test_img"] = TestFiles.Images(TestFiles.Bytes(4 * 192, 2), [4, 8, 8, 3]),
            ["test_labels"] = new H5Dataset(new long[] { 0, 1, 2, 7 }, fileDims: [4]),
        }.Write(p));
        AssertProblem(path, "test_labels", "out of range",
            spec => spec with { Test = new SplitSpec { Images = "test_img", Labels = "test_labels" } });
    }

    [Fact]
    public void Validate_ImagesOfAnotherShapeThanTrain()
    {
        var path = Write("shape.h5", p => new H5File
        {
            ["train_img"] = TestFiles.Images(TestFiles.Bytes(10 * 192, 1), [10, 8, 8, 3]),
            ["train_labels"] = TestFiles.Integers(10, 3),
            ["valid_img"] = TestFiles.Images(TestFiles.Bytes(4 * 300, 2), [4, 10, 10, 3]),
            ["valid_labels"] = TestFiles.Integers(4, 3),
        }.Write(p));
        AssertProblem(path, "valid_img", "train images are 3x8x8",
            spec => spec with { Validation = new SplitSpec { Images = "valid_img", Labels = "valid_labels" } });
    }

    private void AssertProblem(string path, string? dataset, string problemText, Func<DatasetSpec, DatasetSpec>? edit = null)
    {
        var spec = (edit ?? (s => s))(Spec(path));

        var problem = Assert.Throws<DatasetProblemException>(() => DatasetValidator.Validate(path, spec, CancellationToken.None));

        Assert.Equal(path, problem.File);
        Assert.Equal(dataset, problem.Dataset);
        Assert.Contains(problemText, problem.Problem, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(path), problem.Message, StringComparison.Ordinal);
    }

    private static DatasetSpec Spec(string path) => new() { File = path };

    private string Write(string name, Action<string> write)
    {
        var path = _temp.File(name);
        write(path);
        return path;
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>A filter only this test knows, standing in for blosc, lz4 and friends.</summary>
    private sealed class PassThroughFilter : IH5Filter
    {
        public const ushort Id = 32_100;

        public ushort FilterId => Id;
        public string Name => "passthrough-test";
        public Memory<byte> Filter(FilterInfo info) => info.Buffer;
        public uint[] GetParameters(uint[] clientValues, uint typeSize, Dictionary<string, object>? options) => [];
    }
}
