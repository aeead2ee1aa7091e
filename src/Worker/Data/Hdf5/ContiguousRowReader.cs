using Microsoft.Win32.SafeHandles;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Raw-bytes fast path for contiguous datasets: a run of rows is one positioned read at the
/// offset the HDF5 layout message gives. No per-element selection overhead.
/// </summary>
internal sealed class ContiguousRowReader(string path, long dataOffset, long rowBytes) : IRowReader
{
    private readonly SafeFileHandle _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);

    public void ReadRun(long firstRow, int count, Span<byte> destination) =>
        FileBytes.ReadExactly(_handle, destination[..checked((int)(count * rowBytes))], dataOffset + firstRow * rowBytes, path);

    public void WillRead(long firstRow, int count) => FileBytes.WillNeed(_handle, dataOffset + firstRow * rowBytes, count * rowBytes);

    public void Dispose() => _handle.Dispose();
}
