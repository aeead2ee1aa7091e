using WebTrainer.Testing;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Tests.Training;

public sealed class OneDnnWorkaroundTests : IDisposable
{
    private readonly TempDirectory _sysfs = new("webtrainer-sysfs");

    [Fact]
    public void Auto_IsOn_WhenTheKernelListsNoCaches()
    {
        var decision = OneDnnWorkaround.Decide("auto", _sysfs.Path);

        Assert.True(decision.Active);
        Assert.True(decision.CachesHidden);
        Assert.Contains("no cache sizes", decision.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_IsOn_WhenTheCacheFolderExistsButHasNoSizes()
    {
        Cache("index0", size: null);
        Cache("index1", size: "0K");

        Assert.True(OneDnnWorkaround.Decide(null, _sysfs.Path).Active);
    }

    [Fact]
    public void Auto_IsOff_WhenTheKernelReportsCacheSizes()
    {
        Cache("index0", "48K");
        Cache("index1", "32K");
        Cache("index2", "1024K");
        Cache("index3", "32768K");

        var decision = OneDnnWorkaround.Decide("", _sysfs.Path);

        Assert.False(decision.Active);
        Assert.False(decision.Risky);
        Assert.StartsWith("oneDNN workaround off (auto", decision.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Setting_OverridesDetection_AndSaysWhenOffIsRisky()
    {
        Cache("index0", "48K");
        Assert.True(OneDnnWorkaround.Decide("on", _sysfs.Path).Active);

        Directory.Delete(CpuCaches.Folder(_sysfs.Path), recursive: true);
        var off = OneDnnWorkaround.Decide(" OFF ", _sysfs.Path);
        Assert.False(off.Active);
        Assert.True(off.Risky);
    }

    [Fact]
    public void Setting_RefusesOtherValues_NamingTheVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OneDnnWorkaround.Decide("yes", _sysfs.Path));

        Assert.Contains(OneDnnWorkaround.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains("'yes'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("48K\n", 48 * 1024)]
    [InlineData("32M", 32 * 1024 * 1024)]
    [InlineData("512", 512)]
    [InlineData("", 0)]
    [InlineData("unknown", 0)]
    public void SizeBytes_ReadsTheKernelsNotation(string text, long bytes)
    {
        var file = _sysfs.File("size");
        File.WriteAllText(file, text);

        Assert.Equal(bytes, CpuCaches.SizeBytes(file));
    }

    public void Dispose() => _sysfs.Dispose();

    private void Cache(string index, string? size)
    {
        var folder = Directory.CreateDirectory(Path.Combine(CpuCaches.Folder(_sysfs.Path), index)).FullName;
        File.WriteAllText(Path.Combine(folder, "level"), "1");
        if (size is not null)
        {
            File.WriteAllText(Path.Combine(folder, "size"), size + "\n");
        }
    }
}
