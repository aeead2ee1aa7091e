namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Checks what a dataset's header declares against <see cref="Hdf5Limits"/> before anything is sized by
/// it. Products saturate instead of overflowing, so a forged shape is refused rather than wrapped
/// around to a small number. Messages name the dataset, the declared figure and the limit.
/// </summary>
internal static class DeclaredSizes
{
    /// <summary>Product of the values, saturating at <see cref="long.MaxValue"/>.</summary>
    public static long Product(IEnumerable<ulong> values, long factor = 1)
    {
        UInt128 product = (UInt128)(ulong)Math.Max(factor, 0);
        foreach (var v in values)
        {
            product *= v;
            if (product > long.MaxValue)
            {
                return long.MaxValue;
            }
        }
        return (long)product;
    }

    public static void CheckDataset(string file, string path, IReadOnlyList<ulong> shape, long elementSize, Hdf5Limits limits)
    {
        long bytes = Product(shape, elementSize);
        if (bytes > limits.MaxDatasetBytes)
        {
            throw new DatasetProblemException(file, path, $"declares shape [{string.Join(",", shape)}] ({Bytes(bytes)}), more than the limit of " +
                $"{Bytes(limits.MaxDatasetBytes)} ({Hdf5Limits.SectionName}:MaxDatasetBytes)");
        }
    }

    /// <summary>Image height and width of a shape already recognised as an image batch (<paramref name="nhwc"/> or NCHW, rank 3 or 4).</summary>
    public static void CheckImages(string file, string path, IReadOnlyList<ulong> shape, bool nhwc, long elementSize, Hdf5Limits limits)
    {
        CheckDataset(file, path, shape, elementSize, limits);
        ulong height = shape.Count == 3 || nhwc ? shape[1] : shape[2], width = shape.Count == 3 || nhwc ? shape[2] : shape[3];
        if (height > (ulong)limits.MaxImageSide || width > (ulong)limits.MaxImageSide)
        {
            throw new DatasetProblemException(file, path, $"declares {width}x{height} images, more than the limit of {limits.MaxImageSide} " +
                $"pixels a side ({Hdf5Limits.SectionName}:MaxImageSide)");
        }
        if ((long)(height * width) > limits.MaxImagePixels)
        {
            throw new DatasetProblemException(file, path, $"declares {width}x{height} images ({height * width} pixels), more than the limit of " +
                $"{limits.MaxImagePixels} pixels ({Hdf5Limits.SectionName}:MaxImagePixels)");
        }
    }

    public static void CheckLabels(string file, string path, IReadOnlyList<ulong> shape, long elementSize, Hdf5Limits limits)
    {
        CheckDataset(file, path, shape, elementSize, limits);
        if (shape.Count > 0 && shape[0] > (ulong)limits.MaxLabelCount)
        {
            throw new DatasetProblemException(file, path, $"declares {shape[0]} labels, more than the limit of {limits.MaxLabelCount} " +
                $"({Hdf5Limits.SectionName}:MaxLabelCount)");
        }
        long values = Product(shape);
        if (values > limits.MaxLabelValues)
        {
            throw new DatasetProblemException(file, path, $"declares {values} label values (shape [{string.Join(",", shape)}]), more than the limit of " +
                $"{limits.MaxLabelValues} ({Hdf5Limits.SectionName}:MaxLabelValues)");
        }
    }

    private static string Bytes(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.#} GiB" : $"{bytes} bytes";
}
