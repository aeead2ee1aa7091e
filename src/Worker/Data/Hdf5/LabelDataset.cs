using PureHDF;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// A label dataset as class indices: integers [N] or one-hot [N,K] (any integer or float type, either
/// byte order). Values are read in blocks of rows (<see cref="LabelValues"/>), so memory is the class
/// array (training needs it) plus one block; <see cref="CountPerClass"/> keeps not even the class array.
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
        CancellationToken cancellationToken = default, int blockValues = LabelValues.DefaultBlockValues)
    {
        int[]? classes = null;
        var (classCount, oneHot) = Scan(file, path, knownClassCount, limits ?? Hdf5Limits.Current, rows => classes = new int[rows],
            (row, label) => classes![row] = label, blockValues, cancellationToken);
        return new LabelDataset(file, path, classes!, classCount, oneHot);
    }

    /// <summary>Labels per class, for inspection: the same checks as <see cref="Read"/>, one block of values in memory.</summary>
    public static long[] CountPerClass(string file, string path, Hdf5Limits? limits = null, CancellationToken cancellationToken = default,
        int blockValues = LabelValues.DefaultBlockValues)
    {
        var counts = new List<long>();
        var (classCount, _) = Scan(file, path, null, limits ?? Hdf5Limits.Current, _ => { }, (_, label) =>
        {
            while (counts.Count <= label)
            {
                counts.Add(0);
            }
            counts[label]++;
        }, blockValues, cancellationToken);
        while (counts.Count < classCount)
        {
            counts.Add(0);
        }
        return [.. counts];
    }

    /// <summary>Checks every label and hands each row's class to <paramref name="label"/>; returns the class count and encoding.</summary>
    private static (int ClassCount, bool OneHot) Scan(string file, string path, int? knownClassCount, Hdf5Limits limits, Action<long> start,
        Action<long, int> label, int blockValues, CancellationToken cancellationToken)
    {
        using var h5 = Hdf5Files.Open(file);
        var dataset = Hdf5Files.Dataset(h5, file, path);
        var shape = Hdf5Files.Guard(file, path, () => dataset.Space.Dimensions);
        long elementSize = Hdf5Files.Guard(file, path, () => (long)dataset.Type.Size);
        if (shape.Length is not (1 or 2))
        {
            throw new DatasetProblemException(file, path, $"shape [{string.Join(",", shape)}] is not labels (integer [N] or one-hot [N,K])");
        }
        // Before any read: a forged shape must not size the class array or the reads.
        DeclaredSizes.CheckLabels(file, path, shape, elementSize, limits);
        bool oneHot = shape.Length == 2 && shape[1] != 1;
        if (oneHot && shape[1] > (ulong)limits.MaxClassCount)
        {
            throw new DatasetProblemException(file, path, $"declares {shape[1]} one-hot classes, more than the limit of {limits.MaxClassCount} " +
                $"({Hdf5Limits.SectionName}:MaxClassCount)");
        }
        start((long)shape[0]);
        var blocks = LabelValues.Blocks(file, path, dataset, shape, blockValues, cancellationToken);
        if (oneHot)
        {
            int k = (int)shape[1];
            foreach (var block in blocks)
            {
                OneHotBlock(file, path, block, k, label);
            }
            return (k, true);
        }
        int max = -1;
        foreach (var block in blocks)
        {
            for (int i = 0; i < block.Rows; i++)
            {
                double v = block.Values(i);
                long row = block.FirstRow + i;
                if (double.IsNaN(v) || v < 0 || v != Math.Floor(v) || v > int.MaxValue)
                {
                    throw new DatasetProblemException(file, path, $"label {v} at row {row} is not a class index (integers in [0,K))");
                }
                if (v >= limits.MaxClassCount)
                {
                    throw new DatasetProblemException(file, path, $"label {v} at row {row} is beyond the limit of {limits.MaxClassCount} classes " +
                        $"({Hdf5Limits.SectionName}:MaxClassCount)");
                }
                max = Math.Max(max, (int)v);
                label(row, (int)v);
            }
        }
        int count = knownClassCount ?? max + 1;
        if (max >= count)
        {
            throw new DatasetProblemException(file, path, $"label {max} is out of range: the training split has {count} classes [0,{count})");
        }
        return (count, false);
    }

    private static void OneHotBlock(string file, string path, LabelBlock block, int k, Action<long, int> label)
    {
        for (int r = 0; r < block.Rows; r++)
        {
            double sum = 0, best = double.NegativeInfinity;
            int arg = 0;
            long row = block.FirstRow + r;
            for (int c = 0; c < k; c++)
            {
                double v = block.Values((long)r * k + c);
                if (double.IsNaN(v) || v < 0)
                {
                    throw new DatasetProblemException(file, path, $"one-hot row {row} has value {v} at column {c}");
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
                throw new DatasetProblemException(file, path, $"one-hot row {row} sums to {sum}, not 1");
            }
            label(row, arg);
        }
    }
}
