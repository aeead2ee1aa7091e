using WebTrainer.Shared.Files;
using WebTrainer.Testing;

namespace WebTrainer.Worker.Tests.Files;

public sealed class DatasetFileIdentityTests : IDisposable
{
    private readonly TempDirectory _folder = new("webtrainer-identity");

    [Fact]
    public void SameFile_HasNoDifference_EvenWhenReadAgain()
    {
        var path = Write("a.bin", 3 * DatasetFileIdentity.EndBytes + 17);

        Assert.Null(DatasetFileIdentity.Of(path).Difference(DatasetFileIdentity.Of(path), "a.bin"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ChangedByteInEitherEnd_IsSeen_ThoughSizeAndTimeAreKept(int index)
    {
        var path = Write("b.bin", 3 * DatasetFileIdentity.EndBytes);
        var before = DatasetFileIdentity.Of(path);
        var modified = File.GetLastWriteTimeUtc(path);
        var bytes = File.ReadAllBytes(path);
        bytes[index < 0 ? bytes.Length + index : index] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, modified);

        var difference = before.Difference(DatasetFileIdentity.Of(path), "b.bin");

        Assert.NotNull(difference);
        Assert.EndsWith("and its first or last 64 KiB differ); submit it again to validate the new file", difference, StringComparison.Ordinal);
    }

    [Fact]
    public void GrownFile_NamesBothSizes()
    {
        var path = Write("c.bin", 1000);
        var before = DatasetFileIdentity.Of(path);
        File.AppendAllText(path, "more");

        var difference = before.Difference(DatasetFileIdentity.Of(path), "c.bin");

        Assert.StartsWith("dataset file c.bin changed since this job was validated (size 1000 → 1004 bytes, modified ", difference, StringComparison.Ordinal);
    }

    private string Write(string name, int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => _folder.Dispose();
}
