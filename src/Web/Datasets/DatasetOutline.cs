using PureHDF;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Web.Datasets;

/// <summary>
/// The datasets inside one HDF5 file with their shapes and types, enough for the New job form to
/// offer image and label datasets per split. Nothing is read but the object headers.
/// </summary>
internal static class DatasetOutline
{
    private const int MaxDepth = 8;

    public static IReadOnlyList<DatasetEntry> Read(string file)
    {
        using var h5 = Hdf5Files.Open(file);
        var entries = new List<DatasetEntry>();
        Walk(h5, "", 0, entries);
        return entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A guess of the split's image and label datasets from the names (train_img / train_labels style);
    /// null where nothing fits.
    /// </summary>
    public static (string? Images, string? Labels) Guess(IReadOnlyList<DatasetEntry> entries, params string[] names)
    {
        bool Named(DatasetEntry e) => names.Any(n => e.Path.Contains(n, StringComparison.OrdinalIgnoreCase));
        return (entries.FirstOrDefault(e => e.IsImages && Named(e))?.Path, entries.FirstOrDefault(e => e.IsLabels && Named(e))?.Path);
    }

    private static void Walk(IH5Group group, string prefix, int depth, List<DatasetEntry> entries)
    {
        foreach (var child in group.Children())
        {
            var path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
            if (child is IH5Dataset dataset)
            {
                var shape = dataset.Space.Dimensions;
                bool images = ImageGeometry.LayoutOf(shape) is not null && ImageGeometry.PixelTypeOf(dataset.Type) is not null;
                bool numeric = dataset.Type.Class is H5DataTypeClass.FixedPoint or H5DataTypeClass.FloatingPoint;
                bool labels = numeric && (shape.Length == 1 || (shape.Length == 2 && shape[1] < 100_000));
                entries.Add(new DatasetEntry(path, shape, Hdf5Describe.DType(dataset.Type), images, labels && !images));
            }
            else if (child is IH5Group inner && depth < MaxDepth)
            {
                Walk(inner, path, depth + 1, entries);
            }
        }
    }
}
