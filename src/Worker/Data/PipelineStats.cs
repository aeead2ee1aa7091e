namespace WebTrainer.Worker.Data;

/// <summary>Counters of the data pipeline, summed over the batches produced since the last snapshot.</summary>
internal sealed class PipelineStats
{
    private long _bytesRead;
    private long _readTicks;
    private long _augmentTicks;
    private long _samples;

    public void AddRead(long bytes, long ticks)
    {
        Interlocked.Add(ref _bytesRead, bytes);
        Interlocked.Add(ref _readTicks, ticks);
    }

    public void AddAugment(long ticks, int samples)
    {
        Interlocked.Add(ref _augmentTicks, ticks);
        Interlocked.Add(ref _samples, samples);
    }

    /// <summary>Returns the counters and starts counting from zero.</summary>
    public PipelineSnapshot TakeSnapshot() => new(
        Interlocked.Exchange(ref _bytesRead, 0),
        TimeSpan.FromTicks(Interlocked.Exchange(ref _readTicks, 0)).TotalMilliseconds,
        TimeSpan.FromTicks(Interlocked.Exchange(ref _augmentTicks, 0)).TotalMilliseconds,
        Interlocked.Exchange(ref _samples, 0));
}

internal readonly record struct PipelineSnapshot(long BytesRead, double ReadMs, double AugmentMs, long Samples);
