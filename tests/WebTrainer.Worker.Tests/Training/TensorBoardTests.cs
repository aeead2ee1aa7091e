using System.Buffers.Binary;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.TensorBoard;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class TensorBoardTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Crc32C_MatchesTheCastagnoliCheckValue()
    {
        Assert.Equal(0xE3069283u, EventRecords.Crc32C("123456789"u8));
        Assert.Equal(0xE3069283u, SoftwareCrc32C("123456789"u8));
    }

    [Fact]
    public void EventFormat_AgreesWithTorchSharpsProtobufWriterAndParser()
    {
        // TorchSharp's SummaryWriter encodes with Google.Protobuf: its files must read back here, and ours parse there.
        var folder = _temp.File("torchsharp-writer");
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(folder);
        writer.add_scalar("epoch/val_loss", 0.625f, 7);
        var theirs = Assert.Single(Directory.GetFiles(folder, "*tfevents*", SearchOption.AllDirectories));
        var read = TensorBoardLog.ReadAll(theirs);
        Assert.Contains(read, e => e.Tag == "epoch/val_loss" && e.Step == 7 && e.Value == 0.625f);

        var ours = new ScalarEvent(1234.5, 42, "batch/loss", 1.25f).Encode();
        var parsed = Tensorboard.Event.Parser.ParseFrom(ours);
        Assert.Equal(42, parsed.Step);
        Assert.Equal(1234.5, parsed.WallTime);
        Assert.Equal("batch/loss", Assert.Single(parsed.Summary.Value).Tag);
        Assert.Equal(1.25f, parsed.Summary.Value[0].SimpleValue);
    }

    [Fact]
    public async Task Run_WritesAnEventFile_WithEveryEpochsScalarsAndBatchScalars()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = Spec(file);
        var directory = TrainingFixture.RunDirectory(_temp, "board");
        var sink = new RecordingSink();

        await new Trainer(new TrainerSettings { RunDirectory = directory, BatchReportInterval = TimeSpan.Zero }, sink)
            .RunAsync(spec, TrainingData.Open(file, spec.Dataset), CancellationToken.None);

        var events = ReadChecked(directory);
        Assert.Equal(ScalarEvent.Version, events[0].FileVersion);
        foreach (var epoch in sink.Epochs)
        {
            Assert.Equal((float)epoch.TrainLoss, Single(events, "epoch/train_loss", epoch.Epoch));
            Assert.Equal((float)epoch.TrainAccuracy, Single(events, "epoch/train_accuracy", epoch.Epoch));
            Assert.Equal((float)epoch.ValidationLoss!.Value, Single(events, "epoch/val_loss", epoch.Epoch));
            Assert.Equal((float)epoch.ValidationAccuracy!.Value, Single(events, "epoch/val_accuracy", epoch.Epoch));
            Assert.Equal((float)epoch.ValidationTop5Accuracy!.Value, Single(events, "epoch/val_top5_accuracy", epoch.Epoch));
            Assert.Equal((float)epoch.LearningRate, Single(events, "epoch/learning_rate", epoch.Epoch));
            Assert.Equal((float)epoch.SamplesPerSecond, Single(events, "epoch/images_per_second", epoch.Epoch));
        }
        // Every batch was reported (interval 0): steps 1..42 over 3 epochs of 14 batches, the last one with the epoch's train loss.
        Assert.Equal(Enumerable.Range(1, 42).Select(i => (long)i), Steps(events, "batch/loss"));
        Assert.Equal((float)sink.Epochs[^1].TrainLoss, Single(events, "batch/loss", 42));
        Assert.Equal(Steps(events, "batch/loss"), Steps(events, "batch/learning_rate"));
    }

    [Fact]
    public async Task ResumedRun_DropsWhatCameAfterItsCheckpoint_SoNoStepIsDoubledOrLost()
    {
        var file = await TrainingFixture.SynthAsync(_temp);
        var spec = Spec(file);
        var directory = TrainingFixture.RunDirectory(_temp, "board-resumed");
        var settings = new TrainerSettings { RunDirectory = directory, BatchReportInterval = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        // Checkpoints every 4 batches: stopped at epoch 2, batch 10, the batch scalars of steps 23 and 24 are past the checkpoint.
        var interrupted = new RecordingSink { OnBatch = b => { if (b.Epoch == 2 && b.Batch == 10) { stop.Cancel(); } } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new Trainer(settings, interrupted).RunAsync(spec, TrainingData.Open(file, spec.Dataset), stop.Token));
        Assert.Equal(24, Steps(ReadChecked(directory), "batch/loss").Max());

        var resumed = new RecordingSink();
        await new Trainer(settings, resumed).RunAsync(spec, TrainingData.Open(file, spec.Dataset), CancellationToken.None);

        var events = ReadChecked(directory);
        Assert.Single(Directory.GetFiles(Path.Combine(directory, TensorBoardLog.FolderName)));
        Assert.Single(events, e => e.FileVersion is not null);
        Assert.Equal(Enumerable.Range(1, 42).Select(i => (long)i), Steps(events, "batch/loss"));
        Assert.Equal([1L, 2, 3], Steps(events, "epoch/val_loss"));
        Assert.Equal(resumed.Epochs.GroupBy(e => e.Epoch).Select(g => (float)g.Last().ValidationLoss!.Value),
            events.Where(e => e.Tag == "epoch/val_loss").Select(e => e.Value));
    }

    public void Dispose() => _temp.Dispose();

    private static JobSpec Spec(string file) => TrainingFixture.Spec(file, new TrainingSpec
    {
        Epochs = 3, BatchSize = 32, Optimizer = Optimizers.Sgd, LearningRate = 0.05, CheckpointEveryBatches = 4,
    });

    private static float Single(List<ScalarEvent> events, string tag, long step) => Assert.Single(events, e => e.Tag == tag && e.Step == step).Value;

    private static List<long> Steps(List<ScalarEvent> events, string tag) => events.Where(e => e.Tag == tag).Select(e => e.Step).ToList();

    /// <summary>The run's one event file, every record's length and data checked against a CRC32C computed here, then decoded.</summary>
    private static List<ScalarEvent> ReadChecked(string runDirectory)
    {
        var path = Assert.Single(Directory.GetFiles(Path.Combine(runDirectory, TensorBoardLog.FolderName), "events.out.tfevents.*"));
        var bytes = File.ReadAllBytes(path);
        var events = new List<ScalarEvent>();
        int at = 0;
        while (at < bytes.Length)
        {
            var header = bytes.AsSpan(at, 8);
            int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header));
            Assert.Equal(Masked(SoftwareCrc32C(header)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)));
            var data = bytes.AsSpan(at + 12, length);
            Assert.Equal(Masked(SoftwareCrc32C(data)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length, 4)));
            events.Add(ScalarEvent.Decode(data) ?? throw new InvalidDataException($"record at {at} is not an event"));
            at += 12 + length + 4;
        }
        return events;
    }

    private static uint Masked(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8;

    /// <summary>Bitwise CRC32C (reflected polynomial 0x82F63B78), independent of the hardware instruction the writer uses.</summary>
    private static uint SoftwareCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }
        return ~crc;
    }
}
