namespace WebTrainer.Web.Datasets;

/// <summary>One dataset inside an HDF5 file: where it is, its shape and type, and what it could be used as.</summary>
internal sealed record DatasetEntry(string Path, IReadOnlyList<ulong> Shape, string DType, bool IsImages, bool IsLabels)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
