using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Data.Prefetch;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data;

/// <summary>
/// Composes the stages for one split: sampler → batch sampler → parallel row reads → collate,
/// with batches held within a memory budget in front of the trainer. Batches come out in order;
/// which rows and pixels they hold depends only on the seed, the epoch and the batch index.
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

    /// <summary>Batches that fit in the memory budget at once (being read, waiting, or held by the trainer).</summary>
    public int Capacity { get; }

    public MemoryBudget Budget { get; }

    public PipelineStats Stats { get; }

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
        using var readerSlots = new SemaphoreSlim(_options.Readers);
        var readers = new ConcurrentBag<IRowReader>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int firstIndex = (int)(state.Position / _options.BatchSize);
        var producer = Task.Run(async () =>
        {
            try
            {
                int index = firstIndex;
                foreach (var rows in _batches.From(state.Epoch, state.Position))
                {
                    long bytes = await Budget.AcquireAsync(BatchBytes(rows.Length), stop.Token);
                    var task = MakeAsync(state.Epoch, index++, rows, bytes, readerSlots, readers, stop.Token);
                    await pending.Writer.WriteAsync(task, stop.Token);
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
                yield return await task;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            while (pending.Reader.TryRead(out var leftover))
            {
                await ((Task)leftover).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (leftover.IsCompletedSuccessfully)
                {
                    leftover.Result.Dispose();
                }
            }
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>What one batch holds while in flight: its raw rows and its tensors.</summary>
    private long BatchBytes(int rows) => rows * _split.Images.RowBytes + _collator.BatchBytes(rows);

    private Task<Batch> MakeAsync(int epoch, int index, long[] rows, long budgetBytes, SemaphoreSlim readerSlots,
        ConcurrentBag<IRowReader> readers, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            bool handedOver = false;
            try
            {
                await readerSlots.WaitAsync(cancellationToken);
                // At most 'Readers' readers exist: a slot holder takes an idle one or opens a new one.
                var reader = readers.TryTake(out var idle) ? idle : _split.Images.OpenReader();
                try
                {
                    var batch = Read(epoch, index, rows, reader, () => Budget.Release(budgetBytes));
                    handedOver = true;
                    return batch;
                }
                finally
                {
                    readers.Add(reader);
                    readerSlots.Release();
                }
            }
            finally
            {
                if (!handedOver)
                {
                    Budget.Release(budgetBytes);
                }
            }
        }, cancellationToken);

    private Batch Read(int epoch, int index, long[] rows, IRowReader reader, Action release)
    {
        int bytes = checked((int)(rows.Length * _split.Images.RowBytes));
        var raw = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            var start = Stopwatch.GetTimestamp();
            _split.Images.ReadRows(reader, rows, raw.AsSpan(0, bytes));
            Stats.AddRead(bytes, Stopwatch.GetElapsedTime(start).Ticks);
            var labels = Array.ConvertAll(rows, _split.LabelOf);
            return _collator.Collate(epoch, index, rows, labels, raw.AsSpan(0, bytes), release);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }
}
