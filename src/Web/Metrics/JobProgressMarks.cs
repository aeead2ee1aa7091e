using WebTrainer.Shared.Metrics;

namespace WebTrainer.Web.Metrics;

/// <summary>
/// How far a reader of one job has got: the last epoch, batch and event it holds. An update at or
/// behind these marks repeats what the reader has: NOTIFY arrives after the commit that the history
/// query may already have seen, and a resumed run reports some batches again.
/// </summary>
internal sealed class JobProgressMarks
{
    private int _epoch;
    private (int Epoch, int Batch) _batch;
    private long _eventId;

    public static JobProgressMarks Of(JobHistory history)
    {
        var marks = new JobProgressMarks();
        if (history.Epochs.Count > 0)
        {
            marks._epoch = history.Epochs.Max(e => e.Epoch);
        }
        if (history.Batches.Count > 0)
        {
            marks._batch = history.Batches.Max(b => (b.Epoch, b.Batch));
        }
        if (history.Events.Count > 0)
        {
            marks._eventId = history.Events.Max(e => e.Id);
        }
        return marks;
    }

    /// <summary>
    /// Whether <paramref name="update"/> adds something, moving the marks past it when it does.
    /// Status changes always count: readers reload the job row for them, which is idempotent.
    /// </summary>
    public bool Advance(JobUpdate update)
    {
        switch (update.Kind)
        {
            case JobUpdateKind.Epoch when update.Epoch is { } epoch:
                if (epoch.Epoch <= _epoch)
                {
                    return false;
                }
                _epoch = epoch.Epoch;
                return true;
            case JobUpdateKind.Batch when update.Batch is { } batch:
                if ((batch.Epoch, batch.Batch).CompareTo(_batch) <= 0)
                {
                    return false;
                }
                _batch = (batch.Epoch, batch.Batch);
                return true;
            case JobUpdateKind.Event when update.Event is { } e:
                if (e.Id <= _eventId)
                {
                    return false;
                }
                _eventId = e.Id;
                return true;
            case JobUpdateKind.Status:
                return true;
            default:
                return false;
        }
    }
}
