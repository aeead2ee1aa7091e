using Microsoft.Win32.SafeHandles;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Raw-bytes fast path for contiguous datasets: a run of rows is one positioned read at the
/// offset the HDF5 layout message gives. No per-element selection overhead.
/// </summary>
internal sealed class ContiguousRowReader(string path, ulong dataAddress, long rowBytes) : IRowReader
{
    private readonly SafeFileHandle _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);

    public void ReadRun(long firstRow, int count, Span<byte> destination)
    {
        long offset = (long)dataAddress + firstRow * rowBytes;
        var target = destination[..checked((int)(count * rowBytes))];
        while (!target.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, target, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"{Path.GetFileName(path)} ends at byte {offset}: the file is truncated.");
            }
            target = target[read..];
            offset += read;
        }
    }

    public void Dispose() => _handle.Dispose();
}
