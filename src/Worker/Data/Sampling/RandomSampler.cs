namespace WebTrainer.Worker.Data.Sampling;

/// <summary>A new seeded permutation every epoch, like PyTorch's <c>RandomSampler</c> with a generator per epoch.</summary>
internal sealed class RandomSampler : ISampler
{
    private readonly ulong _seed;

    public RandomSampler(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Count = count;
        _seed = seed;
    }

    public int Count { get; }

    public long[] EpochOrder(int epoch) => Permutation.Of(Count, new SplitMix64(SplitMix64.Mix(_seed, (ulong)epoch)));
}
