using System.Text.Json;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Collation;

namespace WebTrainer.Worker.Tests.Data.Collation;

public sealed class ChannelStatisticsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Compute_ReportsEachBlockItReads_SoARunsHeartbeatGoesOnDuringThePass()
    {
        var path = TestFiles.Split(_temp.File("blocks.h5"), 30, size: 8);
        var data = TrainingData.Open(path, new DatasetSpec { File = path });
        var blocks = new List<int>();

        ChannelStatistics.Compute(data.Train, 1f / 255, CancellationToken.None, blocks.Add);

        // 30 rows of 192 bytes fit one 8 MB read.
        Assert.Equal([0], blocks);
    }

    [Fact]
    public void Compute_MatchesADirectCalculation()
    {
        var path = TestFiles.Split(_temp.File("stats.h5"), 30, size: 8, chunks: [4, 8, 8, 3]);
        var raw = TestFiles.ReadAllWithPureHdf(path, "train_img");
        var data = TrainingData.Open(path, new DatasetSpec { File = path });

        var stats = ChannelStatistics.Compute(data.Train, 1f / 255, CancellationToken.None);

        for (int c = 0; c < 3; c++)
        {
            var values = raw.Where((_, i) => i % 3 == c).Select(v => v / 255.0).ToArray();
            double mean = values.Average();
            double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
            Assert.Equal(mean, stats.Mean[c], 4);
            Assert.Equal(std, stats.Std[c], 4);
        }
    }

    [Fact]
    public void GetOrCompute_ReusesTheCache_UntilTheFileChanges()
    {
        var path = TestFiles.Split(_temp.File("cached.h5"), 20, size: 8);
        var cache = _temp.File("cache");
        ChannelStatistics first;
        {
            var data = TrainingData.Open(path, new DatasetSpec { File = path });
            first = ChannelStatistics.GetOrCompute(data.Train, 1f / 255, cache, CancellationToken.None);
        }
        var entry = Assert.Single(Directory.GetFiles(cache));
        // Plant a marker value: a second call must read it instead of recomputing.
        File.WriteAllText(entry, JsonSerializer.Serialize(new ChannelStatistics([9, 9, 9], [1, 1, 1])));

        {
            var data = TrainingData.Open(path, new DatasetSpec { File = path });
            Assert.Equal([9f, 9, 9], ChannelStatistics.GetOrCompute(data.Train, 1f / 255, cache, CancellationToken.None).Mean);
        }

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        {
            var data = TrainingData.Open(path, new DatasetSpec { File = path });
            Assert.Equal(first.Mean, ChannelStatistics.GetOrCompute(data.Train, 1f / 255, cache, CancellationToken.None).Mean);
        }
    }

    public void Dispose() => _temp.Dispose();
}
