using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Tests.Data.Hdf5;

public sealed class Hdf5LimitsTests
{
    [Fact]
    public void Defaults_AcceptFood101WithH5pysGuessedChunksAndOneHotLabels()
    {
        var limits = new Hdf5Limits();
        ulong[] images = [70_700, 299, 299, 3], guessed = H5pyChunkGuess.For(images, 1);
        var storage = new StorageLayout { Class = StorageLayout.Chunked, ChunkDims = guessed };

        Assert.Null(limits.Problem());
        DeclaredSizes.CheckImages("food101.h5", "train_img", images, nhwc: true, 1, limits);
        RawRowReaders.CheckChunks("food101.h5", "train_img", storage, images, 1, limits);
        DeclaredSizes.CheckLabels("food101.h5", "train_labels", [70_700, 101], 1, limits);
        Assert.InRange(ChunkTable.DeclaredChunks(images, guessed), 1, limits.MaxDeclaredChunks);
        // Finer still, 64 images a chunk along the first axis: ~1.6M chunks, within the limit as well.
        RawRowReaders.CheckChunks("food101.h5", "train_img", storage with { ChunkDims = [64, 10, 19, 1] }, images, 1, limits);
    }

    [Theory]
    [InlineData(nameof(Hdf5Limits.MaxGroupDepth))]
    [InlineData(nameof(Hdf5Limits.MaxDeclaredChunks))]
    [InlineData(nameof(Hdf5Limits.MaxImagePixels))]
    public void Problem_ASettingBelowOne_NamesItsConfigurationKey(string setting)
    {
        var limits = new Hdf5Limits();
        typeof(Hdf5Limits).GetProperty(setting)!.SetValue(limits, Convert.ChangeType(0, typeof(Hdf5Limits).GetProperty(setting)!.PropertyType,
            System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains($"Hdf5:Limits:{setting}", limits.Problem(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Hdf5Limits.Use(limits));
    }

    [Fact]
    public void DeclaredChunks_AForgedShape_SaturatesInsteadOfOverflowing()
    {
        Assert.Equal(long.MaxValue, ChunkTable.DeclaredChunks([ulong.MaxValue, ulong.MaxValue], [1, 1]));
    }

    [Fact]
    public void AddHdf5Limits_BindsTheSection_AndRefusesASettingOutOfRange()
    {
        static IOptions<Hdf5Limits> Bind(string key, string value) => new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build())
            .AddHdf5Limits()
            .BuildServiceProvider()
            .GetRequiredService<IOptions<Hdf5Limits>>();

        Assert.Equal(1234, Bind("Hdf5:Limits:MaxDeclaredChunks", "1234").Value.MaxDeclaredChunks);
        Assert.Equal(new Hdf5Limits().MaxImagePixels, Bind("Hdf5:Limits:MaxDeclaredChunks", "1234").Value.MaxImagePixels);
        var problem = Assert.Throws<OptionsValidationException>(() => Bind("Hdf5:Limits:MaxGroupDepth", "0").Value);
        Assert.Contains("Hdf5:Limits:MaxGroupDepth", problem.Message, StringComparison.Ordinal);
    }
}
