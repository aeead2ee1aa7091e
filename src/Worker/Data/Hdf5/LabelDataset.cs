using PureHDF;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// A label dataset read whole into memory as class indices: integers [N] or one-hot [N,K]
/// (any integer or float type). Labels are small next to images, so one read at open is cheapest.
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

    public static LabelDataset Read(string file, string path, int? knownClassCount = null)
    {
        using var h5 = Hdf5Files.Open(file);
        var dataset = Hdf5Files.Dataset(h5, file, path);
        var shape = dataset.Space.Dimensions;
        var values = ReadAsDoubles(dataset, file, path);
        if (shape.Length == 1 || (shape.Length == 2 && shape[1] == 1))
        {
            return FromIntegers(file, path, values, knownClassCount);
        }
        if (shape.Length == 2)
        {
            return FromOneHot(file, path, values, (int)shape[0], (int)shape[1]);
        }
        throw new DatasetProblemException(file, path, $"shape [{string.Join(",", shape)}] is not labels (integer [N] or one-hot [N,K])");
    }

    private static LabelDataset FromIntegers(string file, string path, double[] values, int? knownClassCount)
    {
        var classes = new int[values.Length];
        int max = -1;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
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

    private static LabelDataset FromOneHot(string file, string path, double[] values, int rows, int k)
    {
        var classes = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            double sum = 0, best = double.NegativeInfinity;
            int arg = 0;
            for (int c = 0; c < k; c++)
            {
                double v = values[(long)r * k + c];
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

    private static double[] ReadAsDoubles(IH5Dataset dataset, string file, string path)
    {
        var type = dataset.Type;
        try
        {
            return (type.Class, type.Size, type.Class == H5DataTypeClass.FixedPoint && type.FixedPoint.IsSigned) switch
            {
                (H5DataTypeClass.FixedPoint, 1, false) => Array.ConvertAll(dataset.Read<byte[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 1, true) => Array.ConvertAll(dataset.Read<sbyte[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 2, false) => Array.ConvertAll(dataset.Read<ushort[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 2, true) => Array.ConvertAll(dataset.Read<short[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 4, false) => Array.ConvertAll(dataset.Read<uint[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 4, true) => Array.ConvertAll(dataset.Read<int[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 8, false) => Array.ConvertAll(dataset.Read<ulong[]>(), v => (double)v),
                (H5DataTypeClass.FixedPoint, 8, true) => Array.ConvertAll(dataset.Read<long[]>(), v => (double)v),
                (H5DataTypeClass.FloatingPoint, 2, _) => Array.ConvertAll(dataset.Read<Half[]>(), v => (double)v),
                (H5DataTypeClass.FloatingPoint, 4, _) => Array.ConvertAll(dataset.Read<float[]>(), v => (double)v),
                (H5DataTypeClass.FloatingPoint, 8, _) => dataset.Read<double[]>(),
                _ => throw new DatasetProblemException(file, path, $"unsupported label dtype {Hdf5Describe.DType(type)}; use integers or one-hot numbers"),
            };
        }
        catch (Exception ex) when (ex is not DatasetProblemException)
        {
            throw new DatasetProblemException(file, path, $"labels cannot be read ({ex.Message})", ex);
        }
    }
}
