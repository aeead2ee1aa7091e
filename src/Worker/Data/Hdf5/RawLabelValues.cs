using System.Buffers.Binary;
using PureHDF;
using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Label values read through the raw row readers, for the layouts PureHDF cannot read: one block of rows at a time, kept as stored bytes and converted per value from the stored byte order.
/// </summary>
internal static class RawLabelValues
{
    /// <summary>Rows [<paramref name="firstRow"/>, +<paramref name="rows"/>) as stored bytes behind a converting accessor.</summary>
    public static Func<long, double> Read(string file, string path, IH5Dataset dataset, StorageLayout storage, bool bigEndian,
        long firstRow, int rows)
    {
        var type = dataset.Type;
        var shape = dataset.Space.Dimensions;
        int size = (int)type.Size;
        var convert = Converter(type, bigEndian) ??
            throw new DatasetProblemException(file, path, $"unsupported label dtype {Hdf5Describe.DType(type)}; use integers or one-hot numbers");
        long rowBytes = (long)shape.Skip(1).Aggregate(1UL, (a, b) => a * b) * size;
        try
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            var (_, open) = RawRowReaders.Open(file, path, handle, storage, shape, dataset.Space.MaxDimensions, size, rowBytes);
            if (open is null)
            {
                throw new DatasetProblemException(file, path, $"labels stored {storage.Class}{(bigEndian ? ", big-endian" : "")} " +
                    "cannot be read here; re-save them little-endian, contiguous or chunked");
            }
            var bytes = new byte[checked((int)(rows * rowBytes))];
            using var reader = open();
            reader.ReadRun(firstRow, rows, bytes);
            return i => convert(bytes.AsSpan(checked((int)(i * size)), size));
        }
        catch (Exception ex) when (ex is not (DatasetProblemException or OperationCanceledException))
        {
            throw new DatasetProblemException(file, path, $"labels cannot be read ({ex.Message})", ex);
        }
    }

    /// <summary>Whether values of this type can be labels.</summary>
    public static bool CanConvert(IH5DataType type) => Converter(type, big: false) is not null;

    private delegate double Convert(ReadOnlySpan<byte> value);

    private static Convert? Converter(IH5DataType type, bool big) =>
        (type.Class, type.Size, type.Class == H5DataTypeClass.FixedPoint && type.FixedPoint.IsSigned) switch
        {
            (H5DataTypeClass.FixedPoint, 1, false) => v => v[0],
            (H5DataTypeClass.FixedPoint, 1, true) => v => (sbyte)v[0],
            (H5DataTypeClass.FixedPoint, 2, false) => v => big ? BinaryPrimitives.ReadUInt16BigEndian(v) : BinaryPrimitives.ReadUInt16LittleEndian(v),
            (H5DataTypeClass.FixedPoint, 2, true) => v => big ? BinaryPrimitives.ReadInt16BigEndian(v) : BinaryPrimitives.ReadInt16LittleEndian(v),
            (H5DataTypeClass.FixedPoint, 4, false) => v => big ? BinaryPrimitives.ReadUInt32BigEndian(v) : BinaryPrimitives.ReadUInt32LittleEndian(v),
            (H5DataTypeClass.FixedPoint, 4, true) => v => big ? BinaryPrimitives.ReadInt32BigEndian(v) : BinaryPrimitives.ReadInt32LittleEndian(v),
            (H5DataTypeClass.FixedPoint, 8, false) => v => big ? BinaryPrimitives.ReadUInt64BigEndian(v) : BinaryPrimitives.ReadUInt64LittleEndian(v),
            (H5DataTypeClass.FixedPoint, 8, true) => v => big ? BinaryPrimitives.ReadInt64BigEndian(v) : BinaryPrimitives.ReadInt64LittleEndian(v),
            (H5DataTypeClass.FloatingPoint, 2, _) => v => (double)(big ? BinaryPrimitives.ReadHalfBigEndian(v) : BinaryPrimitives.ReadHalfLittleEndian(v)),
            (H5DataTypeClass.FloatingPoint, 4, _) => v => big ? BinaryPrimitives.ReadSingleBigEndian(v) : BinaryPrimitives.ReadSingleLittleEndian(v),
            (H5DataTypeClass.FloatingPoint, 8, _) => v => big ? BinaryPrimitives.ReadDoubleBigEndian(v) : BinaryPrimitives.ReadDoubleLittleEndian(v),
            _ => null,
        };
}
