using WebTrainer.Worker.Data.Hdf5.Raw;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Which HDF5 filters image datasets can be read through, and the one refusal message for the rest
/// (blosc, bitshuffle, szip, …: no .NET decoder of theirs is at hand), shared by opening and validation
/// so a user sees the same advice wherever the file is first touched.
/// </summary>
internal static class FilterSupport
{
    /// <summary>Filters PureHDF decodes itself (deflate, shuffle and fletcher32 also have the raw path).</summary>
    private static readonly HashSet<ushort> PureHdfFilters = [1, 2, 3, 5, 6];

    public static bool CanDecode(FilterStep filter) => PureHdfDecodes(filter) || ChunkDecoder.Supports([filter]);

    public static bool PureHdfDecodes(FilterStep filter) => PureHdfFilters.Contains(filter.Id);

    /// <summary>The problem to report for a pipeline with filters nothing here decodes, or null.</summary>
    public static string? Refusal(IReadOnlyList<FilterStep> filters)
    {
        var unreadable = filters.Where(f => !CanDecode(f)).Select(f => f.Name).Distinct().ToList();
        if (unreadable.Count == 0)
        {
            return null;
        }
        var names = string.Join(" and ", unreadable);
        var filter = unreadable.Count == 1 ? "filter" : "filters";
        var plugin = unreadable.Count == 1 ? "plugin" : "plugins";
        return $"uses the {names} {filter}, which cannot be decoded here; re-save it with h5py's compression=\"gzip\" or \"lzf\" " +
            $"(or h5repack -f GZIP=4 with the {names} {plugin} installed)";
    }
}
