namespace WebTrainer.Shared.Storage;

/// <summary>
/// Expected start times of queued jobs: each goes, in queue order, to the Worker that frees up
/// first. A job whose duration nobody can guess makes the ones behind it unknown too.
/// </summary>
public static class QueueSimulation
{
    public static DateTimeOffset?[] StartTimes(DateTimeOffset now, int workers, IReadOnlyList<TimeSpan> runningRemaining,
        IReadOnlyList<TimeSpan?> queuedDurations)
    {
        var starts = new DateTimeOffset?[queuedDurations.Count];
        if (workers <= 0)
        {
            return starts;
        }
        var freeAt = new List<DateTimeOffset>(Enumerable.Repeat(now, workers));
        var busy = runningRemaining.OrderBy(r => r).Take(workers).ToList();
        for (int i = 0; i < busy.Count; i++)
        {
            freeAt[i] = now + busy[i];
        }
        for (int i = 0; i < queuedDurations.Count; i++)
        {
            int next = freeAt.IndexOf(freeAt.Min());
            starts[i] = freeAt[next];
            if (queuedDurations[i] is not { } duration)
            {
                break;
            }
            freeAt[next] += duration;
        }
        return starts;
    }
}
