using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Turns the big-endian values another raw reader returns (h5py's '&gt;f4', '&gt;f2') into native
/// order after each read, so the rest of the pipeline only ever sees native floats.
/// </summary>
internal sealed class ByteSwappingRowReader(IRowReader inner, int elementSize, long rowBytes) : IRowReader
{
    public void ReadRun(long firstRow, int count, Span<byte> destination)
    {
        inner.ReadRun(firstRow, count, destination);
        Swap(destination[..checked((int)(count * rowBytes))]);
    }

    /// <summary>The inner reader's batch read (one decode per chunk), then one swap over the batch.</summary>
    public void ReadRows(ReadOnlySpan<long> sortedRows, Span<byte> destination, long rowBytes)
    {
        inner.ReadRows(sortedRows, destination, rowBytes);
        Swap(destination[..checked((int)(sortedRows.Length * rowBytes))]);
    }

    private void Swap(Span<byte> destination)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return;
        }
        switch (elementSize)
        {
            case 2:
                var halves = MemoryMarshal.Cast<byte, ushort>(destination);
                BinaryPrimitives.ReverseEndianness(halves, halves);
                break;
            case 4:
                var words = MemoryMarshal.Cast<byte, uint>(destination);
                BinaryPrimitives.ReverseEndianness(words, words);
                break;
            default:
                throw new NotSupportedException($"byte swapping of {elementSize}-byte values");
        }
    }

    public void WillRead(long firstRow, int count) => inner.WillRead(firstRow, count);

    public void Dispose() => inner.Dispose();
}
