namespace WebTrainer.Worker.Data.Sampling;

/// <summary>Samples in file order: validation and test.</summary>
internal sealed class SequentialSampler : ISampler
{
    public SequentialSampler(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Count = count;
    }

    public int Count { get; }

    public long[] EpochOrder(int epoch)
    {
        var order = new long[Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        return order;
    }
}
