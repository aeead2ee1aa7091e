namespace WebTrainer.Worker.Data.Sampling;

/// <summary>
/// Cuts an epoch's order into batches of file rows. Each batch's rows are sorted so the reader can
/// merge adjacent rows into one read; which samples share a batch is unchanged by the sort.
/// </summary>
internal sealed class BatchSampler
{
    private readonly ISampler _sampler;
    private readonly long[] _rows;

    public BatchSampler(ISampler sampler, long[] rows, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (sampler.Count != rows.Length)
        {
            throw new ArgumentException($"sampler covers {sampler.Count} samples but the split has {rows.Length}", nameof(sampler));
        }
        _sampler = sampler;
        _rows = rows;
        BatchSize = batchSize;
    }

    public int BatchSize { get; }

    public int BatchesPerEpoch => (_rows.Length + BatchSize - 1) / BatchSize;

    /// <summary>Batches of file rows for <paramref name="epoch"/>, starting at batch <paramref name="startBatch"/> (resume).</summary>
    public IEnumerable<long[]> Batches(int epoch, int startBatch = 0) =>
        From(epoch, (long)startBatch * BatchSize);

    /// <summary>
    /// The rest of the epoch from sample <paramref name="position"/> of its order. A position on a
    /// batch boundary gives exactly the batches an uninterrupted epoch would have had from there.
    /// </summary>
    public IEnumerable<long[]> From(int epoch, long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (position >= _rows.Length)
        {
            yield break;
        }
        var order = _sampler.EpochOrder(epoch);
        for (long start = position; start < order.Length; start += BatchSize)
        {
            int length = (int)Math.Min(BatchSize, order.Length - start);
            var batch = new long[length];
            for (int i = 0; i < length; i++)
            {
                batch[i] = _rows[order[start + i]];
            }
            Array.Sort(batch);
            yield return batch;
        }
    }
}
