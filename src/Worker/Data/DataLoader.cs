using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data;

/// <summary>
/// Composes the stages for one split: sampler → batch sampler → parallel row reads → collate,
/// with a bounded prefetch queue in front of the trainer. Batches come out in order.
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
        _split = split;
        _options = options;
        _collator = collator;
        Stats = stats;
        ISampler sampler = options.Shuffle ? new RandomSampler(split.Count, options.Seed) : new SequentialSampler(split.Count);
        _batches = new BatchSampler(sampler, split.Rows, options.BatchSize);
        long batchBytes = options.BatchSize * (split.Images.RowBytes + _collator.FloatsPerImage * sizeof(float));
        Capacity = (int)Math.Clamp(options.MemoryBudgetBytes / Math.Max(1, batchBytes), 1, 1024);
    }

    public int BatchesPerEpoch => _batches.BatchesPerEpoch;

    /// <summary>Batches that may be in flight or waiting at once, set by the memory budget.</summary>
    public int Capacity { get; }

    public PipelineStats Stats { get; }

    public async IAsyncEnumerable<Batch> ReadEpochAsync(int epoch, int startBatch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = Channel.CreateBounded<Task<Batch>>(new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });
        using var readers = new SemaphoreSlim(_options.Readers);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                int index = startBatch;
                foreach (var rows in _batches.Batches(epoch, startBatch))
                {
                    await pending.Writer.WriteAsync(MakeAsync(epoch, index++, rows, readers, stop.Token), stop.Token);
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
        }
    }

    private Task<Batch> MakeAsync(int epoch, int index, long[] rows, SemaphoreSlim readers, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            await readers.WaitAsync(cancellationToken);
            try
            {
                long bytes = rows.Length * _split.Images.RowBytes;
                var raw = ArrayPool<byte>.Shared.Rent((int)bytes);
                try
                {
                    var start = Stopwatch.GetTimestamp();
                    using (var reader = _split.Images.OpenReader())
                    {
                        _split.Images.ReadRows(reader, rows, raw.AsSpan(0, (int)bytes));
                    }
                    Stats.AddRead(bytes, Stopwatch.GetElapsedTime(start).Ticks);
                    var labels = Array.ConvertAll(rows, _split.LabelOf);
                    return _collator.Collate(epoch, index, rows, labels, raw.AsSpan(0, (int)bytes));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(raw);
                }
            }
            finally
            {
                readers.Release();
            }
        }, cancellationToken);
}
