namespace WebTrainer.Worker.Data.Sampling;

internal static class Permutation
{
    /// <summary>A Fisher–Yates shuffle of 0..count-1.</summary>
    public static long[] Of(int count, SplitMix64 random)
    {
        var order = new long[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
