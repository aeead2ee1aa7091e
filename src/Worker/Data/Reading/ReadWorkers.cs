using System.Collections.Concurrent;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Data.Reading;

/// <summary>
/// N dedicated threads for one pass over a split, each with its own reader (file handle, chunk
/// cache) and, when the batches need one, a raw batch buffer, taking batches first come, first served. Dedicated threads,
/// because reads block: on two cores the thread pool keeps two threads and adds more only slowly,
/// which held four readers to the speed of two.
/// </summary>
internal sealed class ReadWorkers : IDisposable
{
    private readonly BlockingCollection<ReadJob> _jobs = [];
    private readonly Thread[] _threads;
    private readonly CancellationToken _cancellationToken;

    /// <param name="rawBufferBytes">Size of each thread's raw buffer; 0 when batches are read straight into their tensors.</param>
    /// <param name="work">Turns a job's rows into a batch using the thread's reader and raw buffer.</param>
    public ReadWorkers(ImageDataset images, int readers, long rawBufferBytes, Func<ReadJob, IRowReader, byte[], Batch> work,
        CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        _threads = new Thread[readers];
        for (int i = 0; i < readers; i++)
        {
            _threads[i] = new Thread(() => Run(images, rawBufferBytes, work)) { IsBackground = true, Name = $"hdf5-reader-{i}" };
            _threads[i].Start();
        }
    }

    public Task<Batch> Submit(ReadJob job)
    {
        _jobs.Add(job);
        return job.Result.Task;
    }

    /// <summary>Lets queued jobs fail fast (when cancelled), waits for the threads, and closes their readers.</summary>
    public void Dispose()
    {
        _jobs.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        _jobs.Dispose();
    }

    private void Run(ImageDataset images, long rawBufferBytes, Func<ReadJob, IRowReader, byte[], Batch> work)
    {
        IRowReader? reader = null;
        byte[]? raw = null;
        try
        {
            foreach (var job in _jobs.GetConsumingEnumerable())
            {
                if (_cancellationToken.IsCancellationRequested)
                {
                    job.Abandon();
                    job.Result.TrySetCanceled(_cancellationToken);
                    continue;
                }
                try
                {
                    reader ??= images.OpenReader();
                    raw ??= new byte[checked((int)rawBufferBytes)];
                    job.Result.TrySetResult(work(job, reader, raw));
                }
                catch (Exception ex)
                {
                    job.Abandon();
                    job.Result.TrySetException(ex);
                }
            }
        }
        finally
        {
            reader?.Dispose();
        }
    }
}

/// <summary>One batch to read: which rows, and how to give its memory budget back if it is never made.</summary>
internal sealed record ReadJob(int Epoch, int Index, long[] Rows, Action Abandon)
{
    public TaskCompletionSource<Batch> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
