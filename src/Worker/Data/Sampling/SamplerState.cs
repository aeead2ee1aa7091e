namespace WebTrainer.Worker.Data.Sampling;

/// <summary>
/// Where a loader stands: the run seed, the epoch, and how many samples of that epoch's order
/// have been handed out. Everything a sampler produces is a pure function of these, so a run
/// that saves this state resumes mid-epoch with exactly the samples it had not seen.
/// </summary>
internal sealed record SamplerState(ulong Seed, int Epoch, long Position)
{
    /// <summary>The state after <paramref name="batches"/> whole batches of <paramref name="batchSize"/>.</summary>
    public static SamplerState AtBatch(ulong seed, int epoch, int batches, int batchSize) =>
        new(seed, epoch, (long)batches * batchSize);
}
