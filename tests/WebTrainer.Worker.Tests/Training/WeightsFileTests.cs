using System.IO.Compression;
using System.Text;
using WebTrainer.Testing;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Models.StateDicts;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Training;

/// <summary>
/// Weights files as users bring them: PyTorch's torch.save files (the fixtures were written by
/// Debian's PyTorch 1.13 with Fixtures/make_pytorch_fixtures.py), safetensors, and the forged
/// or wrong files a reader must refuse before it allocates.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class WeightsFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void PyTorchFile_ReadsPlainOffsetAndTransposedTensors_AsTorchSavedThem()
    {
        TorchRuntime.Configure(2);

        var entries = WeightsFile.Read(PyTorchPython.Fixture("pytorch_tensors.pt"));
        try
        {
            var byName = entries.ToDictionary(e => e.Name, e => e.Tensor);
            Assert.Equal(["count", "half", "offset", "plain", "transposed"], byName.Keys.Order(StringComparer.Ordinal));
            Assert.Equal([0f, 1, 2, 3, 4, 5], byName["plain"].data<float>().ToArray());
            Assert.Equal([2L, 3], byName["offset"].shape);
            Assert.Equal([2f, 3, 4, 5, 6, 7], byName["offset"].data<float>().ToArray());
            Assert.Equal([3L, 2], byName["transposed"].shape);
            Assert.Equal([0f, 3, 1, 4, 2, 5], byName["transposed"].contiguous().data<float>().ToArray());
            Assert.Equal(ScalarType.Int64, byName["count"].dtype);
            Assert.Equal(7L, byName["count"].item<long>());
            Assert.Equal(ScalarType.Float16, byName["half"].dtype);
            Assert.Equal([0.5f, -2f], byName["half"].to_type(ScalarType.Float32).data<float>().ToArray());
        }
        finally
        {
            entries.ForEach(e => e.Tensor.Dispose());
        }
    }

    [Theory]
    [InlineData("pytorch_model.pt", "this is a pickled model (torch.save(model)); save model.state_dict() instead")]
    [InlineData("pytorch_checkpoint.pt", "'model' holds a dict (a training checkpoint?); save the model's state_dict() on its own")]
    [InlineData("pytorch_legacy.pt", "legacy (pre-1.6) torch.save format")]
    public void PyTorchFiles_ThatAreNotAStateDict_AreRefusedWithWhatToDoInstead(string fixture, string expected)
    {
        TorchRuntime.Configure(2);

        var error = Assert.Throws<InvalidOperationException>(() => WeightsFile.Read(PyTorchPython.Fixture(fixture)));

        Assert.StartsWith($"{fixture}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PyTorchFile_WhoseTensorNeedsMoreBytesThanItsStorage_IsRefused()
    {
        TorchRuntime.Configure(2);
        var path = _temp.File("short-storage.pt");
        File.Copy(PyTorchPython.Fixture("pytorch_tensors.pt"), path);
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            // Storage 0 is "plain" ([2,3] float32, 24 bytes); keep 8 of them.
            var entry = archive.Entries.Single(e => e.FullName.EndsWith("/data/0", StringComparison.Ordinal));
            var name = entry.FullName;
            entry.Delete();
            using var stream = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(new byte[8]);
        }

        var error = Assert.Throws<InvalidOperationException>(() => WeightsFile.Read(path));

        Assert.Contains("is not a readable PyTorch state dict (torch.save zip) (tensor 'plain' [2,3] needs 6 elements but its storage holds 2)",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipWithoutAPickle_AndABrokenZip_AreRefused()
    {
        var plainZip = _temp.File("photos.pt");
        using (var archive = ZipFile.Open(plainZip, ZipArchiveMode.Create))
        {
            using var stream = archive.CreateEntry("photo.jpg").Open();
            stream.Write([1, 2, 3]);
        }
        var broken = _temp.File("broken.pt");
        File.WriteAllBytes(broken, [0x50, 0x4B, 0x03, 0x04, .. new byte[200]]);

        Assert.Contains("without the data.pkl of torch.save", Assert.Throws<InvalidOperationException>(() => WeightsFile.Read(plainZip)).Message,
            StringComparison.Ordinal);
        Assert.Contains("broken.pt is not a readable PyTorch state dict", Assert.Throws<InvalidOperationException>(() => WeightsFile.Read(broken)).Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[100000,100000,1000],"data_offsets":[0,8]}}""", "tensor 'w' declares [100000,100000,1000], more than 8 GiB")]
    [InlineData("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,8]}}""", "tensor 'w' [4] F32 has data_offsets [0,8] in 8 bytes of data")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,800]}}""", "tensor 'w' [2] F32 has data_offsets [0,800] in 8 bytes of data")]
    [InlineData("""{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}""", "tensor 'w' has unsupported dtype C64")]
    [InlineData("""{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "tensor 'w' has a negative dimension -2")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2]}}""", "tensor 'w' lacks dtype, shape or data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}}""", "tensor 'w' has \"2\" where its shape or data_offsets need an integer")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},""", "is not a readable safetensors file")]
    public void Safetensors_WithAForgedOrBrokenHeader_IsRefusedBeforeAllocating(string header, string expected)
    {
        var path = _temp.File("forged.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[8]]);

        var error = Assert.Throws<InvalidOperationException>(() => WeightsFile.Read(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Safetensors_AsTheReferenceLibraryWritesThem_WithMetadataAndAPaddedHeader_Load()
    {
        TorchRuntime.Configure(2);
        var path = _temp.File("reference.safetensors");
        var json = Encoding.UTF8.GetBytes("""{"__metadata__":{"format":"pt"},"b":{"dtype":"I64","shape":[],"data_offsets":[8,16]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}    """);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-3f), .. BitConverter.GetBytes(42L)]);

        var entries = WeightsFile.Read(path);

        var byName = entries.ToDictionary(e => e.Name, e => e.Tensor);
        Assert.Equal([1.5f, -3f], byName["a"].data<float>().ToArray());
        Assert.Equal(42L, byName["b"].item<long>());
        entries.ForEach(e => e.Tensor.Dispose());
    }

    [Fact]
    public void TorchSharpFile_WithAForgedShape_IsRefusedBeforeAllocating()
    {
        var path = _temp.File("forged.weights");
        // One tensor "w", float32, rank 3, dims 2^20 each: 4 EiB declared in a 20-byte file.
        File.WriteAllBytes(path, [1, 1, (byte)'w', 6, 3, 0x80, 0x80, 0x40, 0x80, 0x80, 0x40, 0x80, 0x80, 0x40]);

        var error = Assert.Throws<InvalidOperationException>(() => WeightsFile.Read(path));

        Assert.Contains("tensor 'w' declares [1048576,1048576,1048576], more than 8 GiB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pytorch_tensors.pt", nameof(WeightsFormat.PyTorch))]
    [InlineData("pytorch_legacy.pt", nameof(WeightsFormat.PyTorchLegacy))]
    public void Detect_TellsFormatsByContent(string fixture, string expected)
    {
        using var stream = File.OpenRead(PyTorchPython.Fixture(fixture));

        Assert.Equal(expected, WeightsFile.Detect(stream).ToString());
    }

    public void Dispose() => _temp.Dispose();
}
