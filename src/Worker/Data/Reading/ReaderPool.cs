using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Data.Reading;

/// <summary>
/// At most N readers for one pass over a split, each with its own file handle, chunk cache and a
/// raw buffer for one batch, reused batch after batch: reading allocates nothing per batch. A
/// batch waits for a free reader, so N is also the pipeline's thread count.
/// </summary>
internal sealed class ReaderPool(ImageDataset images, int readers, int batchSize) : IDisposable
{
    private readonly SemaphoreSlim _free = new(readers);
    private readonly Stack<Lease> _idle = new();
    private readonly List<Lease> _all = [];
    private readonly Lock _gate = new();

    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken);
        lock (_gate)
        {
            if (_idle.TryPop(out var lease))
            {
                return lease;
            }
        }
        try
        {
            var created = new Lease(images.OpenReader(), new byte[checked(batchSize * images.RowBytes)]);
            lock (_gate)
            {
                _all.Add(created);
            }
            return created;
        }
        catch
        {
            _free.Release();
            throw;
        }
    }

    public void Return(Lease lease)
    {
        lock (_gate)
        {
            _idle.Push(lease);
        }
        _free.Release();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _all.ForEach(l => l.Reader.Dispose());
            _all.Clear();
            _idle.Clear();
        }
        _free.Dispose();
    }

    internal sealed record Lease(IRowReader Reader, byte[] Raw);
}
