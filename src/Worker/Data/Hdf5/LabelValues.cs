using PureHDF;
using PureHDF.Selections;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// A label dataset's values in blocks of whole rows, each in its stored type behind a numeric accessor
/// (a block of a one-hot uint8 dataset stays one byte a value). Memory is one block at a time, whatever
/// the dataset's size. PureHDF reads them, except where it cannot: big-endian values (PureHDF 2.2 has no
/// byte-order conversion) and filters only the raw path decodes (lzf, lz4, zstd).
/// </summary>
internal static class LabelValues
{
    /// <summary>Values a block holds at most: 1M, a few MB in the widest types.</summary>
    public const int DefaultBlockValues = 1 << 20;

    public static IEnumerable<LabelBlock> Blocks(string file, string path, IH5Dataset dataset, ulong[] shape, int blockValues,
        CancellationToken cancellationToken)
    {
        long rows = (long)shape[0], perRow = shape.Length == 2 ? (long)shape[1] : 1;
        long blockRows = Math.Max(1, blockValues / perRow);
        var read = Reader(dataset, file, path, shape);
        for (long first = 0; first < rows; first += blockRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(blockRows, rows - first);
            yield return new LabelBlock(first, count, read(first, count));
        }
    }

    private static Func<long, int, Func<long, double>> Reader(IH5Dataset dataset, string file, string path, ulong[] shape)
    {
        var type = dataset.Type;
        var storage = PureHdfInternals.Layout(dataset);
        if (storage is not null && FilterSupport.Refusal(storage.Filters) is { } refusal)
        {
            throw new DatasetProblemException(file, path, refusal);
        }
        bool bigEndian = type.Size > 1 && PureHdfInternals.IsBigEndian(dataset) == true;
        if (storage is not null && (bigEndian || storage.Filters.Any(f => !FilterSupport.PureHdfDecodes(f))))
        {
            return (first, count) => RawLabelValues.Read(file, path, dataset, storage, bigEndian, first, count);
        }
        bool signed = type.Class == H5DataTypeClass.FixedPoint && type.FixedPoint.IsSigned;
        if (!RawLabelValues.CanConvert(type))
        {
            throw new DatasetProblemException(file, path, $"unsupported label dtype {Hdf5Describe.DType(type)}; use integers or one-hot numbers");
        }
        return (first, count) =>
        {
            ulong[] starts = shape.Length == 2 ? [(ulong)first, 0] : [(ulong)first];
            ulong[] blocks = shape.Length == 2 ? [(ulong)count, shape[1]] : [(ulong)count];
            var selection = new HyperslabSelection(shape.Length, starts, blocks);
            ulong[] memory = [(ulong)count * (shape.Length == 2 ? shape[1] : 1)];
            try
            {
                return (type.Class, type.Size, signed) switch
                {
                    (H5DataTypeClass.FixedPoint, 1, false) => Accessor(dataset.Read<byte[]>(selection, null, memory), v => v),
                    (H5DataTypeClass.FixedPoint, 1, true) => Accessor(dataset.Read<sbyte[]>(selection, null, memory), v => v),
                    (H5DataTypeClass.FixedPoint, 2, false) => Accessor(dataset.Read<ushort[]>(selection, null, memory), v => v),
                    (H5DataTypeClass.FixedPoint, 2, true) => Accessor(dataset.Read<short[]>(selection, null, memory), v => v),
                    (H5DataTypeClass.FixedPoint, 4, false) => Accessor(dataset.Read<uint[]>(selection, null, memory), v => v),
                    (H5DataTypeClass.FixedPoint, 4, true) => Accessor(dataset.Read<int[]>(selection, null, memory), v => v),
                    (H5DataTypeClass.FixedPoint, 8, false) => Accessor(dataset.Read<ulong[]>(selection, null, memory), v => v),
                    (H5DataTypeClass.FixedPoint, 8, true) => Accessor(dataset.Read<long[]>(selection, null, memory), v => v),
                    (H5DataTypeClass.FloatingPoint, 2, _) => Accessor(dataset.Read<Half[]>(selection, null, memory), v => (double)v),
                    (H5DataTypeClass.FloatingPoint, 4, _) => Accessor(dataset.Read<float[]>(selection, null, memory), v => v),
                    _ => Accessor(dataset.Read<double[]>(selection, null, memory), v => v),
                };
            }
            catch (Exception ex) when (ex is not (DatasetProblemException or OperationCanceledException))
            {
                throw new DatasetProblemException(file, path, $"labels of rows {first}–{first + count - 1} cannot be read ({ex.Message})", ex);
            }
        };
    }

    private static Func<long, double> Accessor<T>(T[] values, Func<T, double> convert) => i => convert(values[i]);
}
