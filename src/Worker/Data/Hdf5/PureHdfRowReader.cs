using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Fallback for layouts without a raw fast path: PureHDF's own hyperslab reads. Slow on image
/// layouts, but correct for anything PureHDF can read. Own file handle, since PureHDF is not
/// documented as safe for concurrent reads.
/// </summary>
internal sealed class PureHdfRowReader(string path, string datasetPath, ulong[] shape, PixelType pixelType) : IRowReader
{
    private readonly NativeFile _file = H5File.OpenRead(path);

    public void ReadRun(long firstRow, int count, Span<byte> destination)
    {
        var starts = new ulong[shape.Length];
        var blocks = (ulong[])shape.Clone();
        starts[0] = (ulong)firstRow;
        blocks[0] = (ulong)count;
        var selection = new HyperslabSelection(shape.Length, starts, blocks);
        var dataset = _file.Dataset(datasetPath);
        switch (pixelType)
        {
            case PixelType.UInt8:
                dataset.Read<byte[]>(selection).AsSpan().CopyTo(destination);
                break;
            case PixelType.Float32:
                MemoryMarshal.AsBytes(dataset.Read<float[]>(selection).AsSpan()).CopyTo(destination);
                break;
            case PixelType.Float16:
                MemoryMarshal.AsBytes(dataset.Read<Half[]>(selection).AsSpan()).CopyTo(destination);
                break;
        }
    }

    public void Dispose() => _file.Dispose();
}
