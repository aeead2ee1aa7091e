using TorchSharp;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;

namespace WebTrainer.Worker.Tests.Data;

/// <summary>Builds loaders over test files and reads epochs into plain values.</summary>
internal static class Loaders
{
    public static DataLoader Make(SplitData split, string sampling, int readers = 2, int batchSize = 8, ulong seed = 11,
        long budgetBytes = 64L * 1024 * 1024, AugmentationSpec? augmentation = null, int windowBlocks = 2, bool stored = false)
    {
        var geometry = ImageGeometryInfo.Of(split.Images);
        var stats = new PipelineStats();
        var augmenter = augmentation is null ? null : new ImageAugmenter(augmentation, seed);
        var collator = new Collator(geometry, 1f / 255, null, null, augmenter, stats, stored);
        var options = new LoaderOptions
        {
            BatchSize = batchSize,
            Sampling = sampling,
            Seed = seed,
            Readers = readers,
            MemoryBudgetBytes = budgetBytes,
            ShuffleWindowBlocks = windowBlocks,
            // Small blocks so that the small test files have many.
            BlockTargetBytes = 1,
        };
        return new DataLoader(split, options, collator, stats);
    }

    /// <summary>One epoch's batches as (rows, labels, checksum of the model's input), disposing every batch.</summary>
    public static async Task<List<BatchRecord>> ReadEpochAsync(DataLoader loader, int epoch, int startBatch = 0)
    {
        var records = new List<BatchRecord>();
        await foreach (var batch in loader.ReadEpochAsync(epoch, startBatch, CancellationToken.None))
        {
            using (batch)
            using (var input = batch.ToModelInput(torch.CPU))
            {
                var pixels = input.data<float>().ToArray();
                double checksum = 0;
                for (int i = 0; i < pixels.Length; i++)
                {
                    checksum += pixels[i] * (1 + i % 7);
                }
                records.Add(new BatchRecord(batch.Index, [.. batch.Rows], batch.Labels.data<long>().ToArray(), checksum));
            }
        }
        return records;
    }
}

internal sealed record BatchRecord(int Index, long[] Rows, long[] Labels, double Checksum)
{
    public bool SameAs(BatchRecord other) =>
        Index == other.Index && Rows.SequenceEqual(other.Rows) && Labels.SequenceEqual(other.Labels) && Checksum.Equals(other.Checksum);
}
