using System.Reflection;
using PureHDF;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Reads the storage layout PureHDF has already parsed but does not make public: the file offset
/// of a contiguous dataset's raw data. Pinned to PureHDF 2.2.0; tests compare every raw read with
/// PureHDF's own reads, so a changed internal shows up as a failed test, not as wrong pixels.
/// </summary>
internal static class PureHdfInternals
{
    private const BindingFlags Any = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>The raw data address of an unfiltered contiguous dataset, or null when it has none.</summary>
    public static ulong? ContiguousAddress(IH5Dataset dataset)
    {
        if (dataset.Layout.Class != H5DataLayoutClass.Contiguous)
        {
            return null;
        }
        var layout = Get(dataset, "InternalDataLayout");
        var properties = layout is null ? null : Get(layout, "Properties");
        var address = properties is null ? Get(layout!, "Address") : Get(properties, "Address");
        return address is ulong value && value != ulong.MaxValue ? value : null;
    }

    private static object? Get(object target, string name) =>
        target.GetType().GetProperty(name, Any)?.GetValue(target);
}
