using PureHDF;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// A label dataset read whole into memory as class indices: integers [N] or one-hot [N,K]
/// (any integer or float type, either byte order). Labels are small next to images, so one read at
/// open is cheapest. PureHDF reads them, except where it cannot: big-endian values (PureHDF 2.2 has
/// no byte-order conversion) and filters only the raw path decodes (lzf, lz4, zstd).
/// </summary>
internal sealed class LabelDataset
{
    private LabelDataset(string file, string path, int[] classes, int classCount, bool oneHot)
    {
        File = file;
        Path = path;
        Classes = classes;
        ClassCount = classCount;
        OneHot = oneHot;
    }

    public string File { get; }
    public string Path { get; }
    public IReadOnlyList<int> Classes { get; }
    public int ClassCount { get; }
    public bool OneHot { get; }
    public long Count => Classes.Count;

    /// <param name="limits">What the file may declare; <see cref="Hdf5Limits.Current"/> when null.</param>
    public static LabelDataset Read(string file, string path, int? knownClassCount = null, Hdf5Limits? limits = null,
        CancellationToken cancellationToken = default)
    {
        limits ??= Hdf5Limits.Current;
        using var h5 = Hdf5Files.Open(file);
        var dataset = Hdf5Files.Dataset(h5, file, path);
        var shape = Hdf5Files.Guard(file, path, () => dataset.Space.Dimensions);
        long elementSize = Hdf5Files.Guard(file, path, () => (long)dataset.Type.Size);
        if (shape.Length is 1 or 2)
        {
            // Before any read: the values are read whole, and a forged shape must not size that read.
            DeclaredSizes.CheckLabels(file, path, shape, elementSize, limits);
        }
        if (shape.Length == 1 || (shape.Length == 2 && shape[1] == 1))
        {
            var values = ReadValues(dataset, file, path);
            return FromIntegers(file, path, values, (long)shape[0], knownClassCount, cancellationToken);
        }
        if (shape.Length == 2)
        {
            var values = ReadValues(dataset, file, path);
            return FromOneHot(file, path, values, (int)shape[0], (int)shape[1], cancellationToken);
        }
        throw new DatasetProblemException(file, path, $"shape [{string.Join(",", shape)}] is not labels (integer [N] or one-hot [N,K])");
    }

    /// <summary>Rows between cancellation checks: cheap next to the values' own conversion.</summary>
    private const int CheckEvery = 1 << 16;

    private static LabelDataset FromIntegers(string file, string path, Func<long, double> values, long rows, int? knownClassCount,
        CancellationToken cancellationToken)
    {
        var classes = new int[rows];
        int max = -1;
        for (int i = 0; i < classes.Length; i++)
        {
            if (i % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            double v = values(i);
            if (double.IsNaN(v) || v < 0 || v != Math.Floor(v) || v > int.MaxValue)
            {
                throw new DatasetProblemException(file, path, $"label {v} at row {i} is not a class index (integers in [0,K))");
            }
            classes[i] = (int)v;
            max = Math.Max(max, classes[i]);
        }
        int count = knownClassCount ?? max + 1;
        if (max >= count)
        {
            throw new DatasetProblemException(file, path, $"label {max} is out of range: the training split has {count} classes [0,{count})");
        }
        return new LabelDataset(file, path, classes, count, oneHot: false);
    }

    private static LabelDataset FromOneHot(string file, string path, Func<long, double> values, int rows, int k, CancellationToken cancellationToken)
    {
        var classes = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            if (r % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            double sum = 0, best = double.NegativeInfinity;
            int arg = 0;
            for (int c = 0; c < k; c++)
            {
                double v = values((long)r * k + c);
                if (double.IsNaN(v) || v < 0)
                {
                    throw new DatasetProblemException(file, path, $"one-hot row {r} has value {v} at column {c}");
                }
                sum += v;
                if (v > best)
                {
                    best = v;
                    arg = c;
                }
            }
            if (Math.Abs(sum - 1) > 1e-3)
            {
                throw new DatasetProblemException(file, path, $"one-hot row {r} sums to {sum}, not 1");
            }
            classes[r] = arg;
        }
        return new LabelDataset(file, path, classes, k, oneHot: true);
    }

    /// <summary>
    /// The values in their stored type behind a numeric accessor: a one-hot [70700,101] uint8 dataset
    /// stays 7 MB instead of becoming 57 MB of doubles.
    /// </summary>
    private static Func<long, double> ReadValues(IH5Dataset dataset, string file, string path)
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
            return RawLabelValues.Read(file, path, dataset, storage, bigEndian);
        }
        try
        {
            return (type.Class, type.Size, type.Class == H5DataTypeClass.FixedPoint && type.FixedPoint.IsSigned) switch
            {
                (H5DataTypeClass.FixedPoint, 1, false) => Accessor(dataset.Read<byte[]>(), v => v),
                (H5DataTypeClass.FixedPoint, 1, true) => Accessor(dataset.Read<sbyte[]>(), v => v),
                (H5DataTypeClass.FixedPoint, 2, false) => Accessor(dataset.Read<ushort[]>(), v => v),
                (H5DataTypeClass.FixedPoint, 2, true) => Accessor(dataset.Read<short[]>(), v => v),
                (H5DataTypeClass.FixedPoint, 4, false) => Accessor(dataset.Read<uint[]>(), v => v),
                (H5DataTypeClass.FixedPoint, 4, true) => Accessor(dataset.Read<int[]>(), v => v),
                (H5DataTypeClass.FixedPoint, 8, false) => Accessor(dataset.Read<ulong[]>(), v => v),
                (H5DataTypeClass.FixedPoint, 8, true) => Accessor(dataset.Read<long[]>(), v => v),
                (H5DataTypeClass.FloatingPoint, 2, _) => Accessor(dataset.Read<Half[]>(), v => (double)v),
                (H5DataTypeClass.FloatingPoint, 4, _) => Accessor(dataset.Read<float[]>(), v => v),
                (H5DataTypeClass.FloatingPoint, 8, _) => Accessor(dataset.Read<double[]>(), v => v),
                _ => throw new DatasetProblemException(file, path, $"unsupported label dtype {Hdf5Describe.DType(type)}; use integers or one-hot numbers"),
            };
        }
        catch (Exception ex) when (ex is not DatasetProblemException)
        {
            throw new DatasetProblemException(file, path, $"labels cannot be read ({ex.Message})", ex);
        }
    }

    private static Func<long, double> Accessor<T>(T[] values, Func<T, double> convert) => i => convert(values[i]);
}
