using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Prefetch;
using WebTrainer.Worker.Data.Reading;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data;

/// <summary>
/// Composes the stages for one split: sampler → batch sampler → parallel row reads → collate,
/// with batches held within a memory budget in front of the trainer. Batches come out in order;
/// which rows and pixels they hold depends only on the seed, the epoch and the batch index.
/// Memory: the budget (batch tensors being filled, waiting, or held by the trainer) plus, per
/// reader thread, its chunk cache and, for CPU batches, one batch of raw rows (stored batches are
/// read straight into their tensors).
/// </summary>
internal sealed class DataLoader
{
    private readonly SplitData _split;
    private readonly LoaderOptions _options;
    private readonly BatchSampler _batches;
    private readonly Collator _collator;

    public DataLoader(SplitData split, LoaderOptions options, Collator collator, PipelineStats stats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Readers, nameof(options.Readers));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options.BatchSize));
        _split = split;
        _options = options;
        _collator = collator;
        Stats = stats;
        _batches = new BatchSampler(SamplerFactory.Create(options.Sampling, split, options), split.Rows, options.BatchSize);
        Budget = new MemoryBudget(options.MemoryBudgetBytes);
        Capacity = (int)Math.Clamp(options.MemoryBudgetBytes / BatchBytes(options.BatchSize), 1, int.MaxValue);
    }

    public int BatchesPerEpoch => _batches.BatchesPerEpoch;

    /// <summary>Samples per epoch: every batch holds the batch size but the last, which holds the rest.</summary>
    public int Samples => _split.Count;

    /// <summary>Batches that fit in the memory budget at once (being read, waiting, or held by the trainer).</summary>
    public int Capacity { get; }

    public MemoryBudget Budget { get; }

    /// <summary>The bytes one full batch holds against <see cref="Budget"/>.</summary>
    public long FullBatchBytes => BatchBytes(_options.BatchSize);

    /// <summary>Reader threads that read and collate batches.</summary>
    public int Readers => _options.Readers;

    public PipelineStats Stats { get; }

    /// <summary>Whether batches carry stored uint8 pixels, converted to float on the training device.</summary>
    public bool StoredBatches => _collator.StoredBatches;

    /// <summary>Whether the train split's batches are augmented on the training device.</summary>
    public bool AugmentsOnDevice => _collator.AugmentsOnDevice;

    /// <summary>
    /// The batches of <paramref name="epoch"/> from <paramref name="startBatch"/> on: exactly those an
    /// uninterrupted epoch would have yielded from there (resume). Dispose each batch before asking
    /// for the next once the budget is full; the trainer does.
    /// </summary>
    public IAsyncEnumerable<Batch> ReadEpochAsync(int epoch, int startBatch, CancellationToken cancellationToken) =>
        ReadAsync(SamplerState.AtBatch(_options.Seed, epoch, startBatch, _options.BatchSize), cancellationToken);

    /// <summary>The rest of an epoch from a saved sampler state.</summary>
    public async IAsyncEnumerable<Batch> ReadAsync(SamplerState state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (state.Seed != _options.Seed)
        {
            throw new ArgumentException($"state seed {state.Seed} is not this loader's seed {_options.Seed}", nameof(state));
        }
        var pending = Channel.CreateUnbounded<Task<Batch>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var tensors = new TensorPool(_collator.BatchShape(_options.BatchSize), _collator.BatchType, _collator.PinMemory);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long rawBufferBytes = _collator.StoredBatches ? 0 : _options.BatchSize * _split.Images.RowBytes;
        var workers = new ReadWorkers(_split.Images, _options.Readers, rawBufferBytes,
            (job, reader, raw) => Make(job, reader, raw, tensors), stop.Token);
        int firstIndex = (int)(state.Position / _options.BatchSize);
        var producer = Task.Run(async () =>
        {
            try
            {
                int index = firstIndex;
                foreach (var rows in _batches.From(state.Epoch, state.Position))
                {
                    long bytes = await Budget.AcquireAsync(BatchBytes(rows.Length), stop.Token);
                    var task = workers.Submit(new ReadJob(state.Epoch, index++, rows, () => Budget.Release(bytes)));
                    // Unbounded, so this always succeeds: every submitted job is awaited in the finally below.
                    pending.Writer.TryWrite(task);
                }
                pending.Writer.Complete();
            }
            catch (Exception ex)
            {
                pending.Writer.Complete(ex);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var task in pending.Reader.ReadAllAsync(cancellationToken))
            {
                var batch = await task;
                _options.BatchHandedOut?.Invoke(batch.Index);
                yield return batch;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            workers.Dispose();
            while (pending.Reader.TryRead(out var leftover))
            {
                await ((Task)leftover).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (leftover.IsCompletedSuccessfully)
                {
                    leftover.Result.Dispose();
                }
            }
        }
    }

    /// <summary>What one batch holds from the moment it is started until the trainer disposes it: its tensors.</summary>
    private long BatchBytes(int rows) => _collator.BatchBytes(rows);

    /// <summary>Reads and collates one batch on a reader thread; the batch gives its budget back when disposed.</summary>
    private Batch Make(ReadJob job, IRowReader reader, byte[] rawBuffer, TensorPool tensors)
    {
        var labels = Array.ConvertAll(job.Rows, _split.LabelOf);
        if (_collator.StoredBatches)
        {
            return _collator.CollateStored(job.Epoch, job.Index, job.Rows, labels, tensors, pixels => Read(reader, job.Rows, pixels),
                job.Abandon);
        }
        var raw = rawBuffer.AsSpan(0, checked((int)(job.Rows.Length * _split.Images.RowBytes)));
        Read(reader, job.Rows, raw);
        return _collator.Collate(job.Epoch, job.Index, job.Rows, labels, raw, tensors, job.Abandon);
    }

    private void Read(IRowReader reader, long[] rows, Span<byte> destination)
    {
        var start = Stopwatch.GetTimestamp();
        _split.Images.ReadRows(reader, rows, destination);
        Stats.AddRead(destination.Length, Stopwatch.GetElapsedTime(start).Ticks);
    }
}
