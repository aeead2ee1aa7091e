namespace WebTrainer.Worker.Data.Sampling;

/// <summary>The order in which one epoch visits a split's samples (positions 0..Count-1).</summary>
internal interface ISampler
{
    int Count { get; }

    /// <summary>The visiting order of <paramref name="epoch"/>; a pure function of the sampler's seed and the epoch.</summary>
    long[] EpochOrder(int epoch);
}
