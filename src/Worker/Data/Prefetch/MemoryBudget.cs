namespace WebTrainer.Worker.Data.Prefetch;

/// <summary>
/// An async semaphore counted in bytes: batches take their size before they are read and give it
/// back when the trainer disposes them, so the batches being read, waiting, and in the trainer's
/// hands together never exceed the budget. A request larger than the whole budget takes all of it,
/// so one batch can always go through alone.
/// </summary>
internal sealed class MemoryBudget
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Ready)> _waiting = new();
    private long _inUse;
    private long _peak;

    public MemoryBudget(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    public long InUseBytes
    {
        get
        {
            lock (_gate)
            {
                return _inUse;
            }
        }
    }

    /// <summary>The most bytes held at once since the budget was made.</summary>
    public long PeakBytes
    {
        get
        {
            lock (_gate)
            {
                return _peak;
            }
        }
    }

    /// <summary>Takes <paramref name="bytes"/> (at most the whole budget); returns what was taken, to pass to <see cref="Release"/>.</summary>
    public async ValueTask<long> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        bytes = Math.Min(bytes, CapacityBytes);
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_gate)
        {
            // First come, first served: a big request is not overtaken by smaller ones forever.
            if (_waiting.Count == 0 && _inUse + bytes <= CapacityBytes)
            {
                Take(bytes);
                return bytes;
            }
            node = _waiting.AddLast((bytes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }
        await using (cancellationToken.Register(() => Cancel(node)))
        {
            await node.Value.Item2.Task.ConfigureAwait(false);
        }
        return bytes;
    }

    public void Release(long bytes)
    {
        lock (_gate)
        {
            _inUse -= bytes;
            while (_waiting.First is { } first && _inUse + first.Value.Bytes <= CapacityBytes)
            {
                _waiting.RemoveFirst();
                Take(first.Value.Bytes);
                first.Value.Ready.TrySetResult();
            }
        }
    }

    private void Take(long bytes)
    {
        _inUse += bytes;
        _peak = Math.Max(_peak, _inUse);
    }

    private void Cancel(LinkedListNode<(long Bytes, TaskCompletionSource Ready)> node)
    {
        lock (_gate)
        {
            if (node.List is null)
            {
                return; // already granted; the caller releases it
            }
            _waiting.Remove(node);
        }
        node.Value.Ready.TrySetCanceled();
    }
}
