using PureHDF;
using WebTrainer.Shared.Datasets;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// The bookkeeping of one walk over a file's groups: each object is entered once, by its header
/// address (h5py's <c>f["g"]["up"] = f["/"]</c> makes the tree a graph with cycles), groups are not
/// descended past <see cref="Hdf5Limits.MaxGroupDepth"/>, the walk stops after
/// <see cref="Hdf5Limits.MaxObjectsPerFile"/> objects, and what lies in another file (an external link)
/// is not entered. Each such stop is a problem listed with the file's summary, not an exception.
/// </summary>
internal sealed class GroupWalk(object h5, string file, Hdf5Limits limits, List<DatasetProblem> problems)
{
    private readonly Dictionary<ulong, string> _visited = [];
    private int _objects;

    public string File => file;
    public Hdf5Limits Limits => limits;
    public List<DatasetProblem> Problems => problems;

    /// <summary>Whether to look at <paramref name="child"/>, reached as <paramref name="path"/>; false (with a note) when it was seen, is elsewhere or is one too many.</summary>
    public bool Enter(IH5Object child, string path)
    {
        if (child is IH5UnresolvedLink)
        {
            problems.Add(new DatasetProblem(file, path, "is a link whose target cannot be found in this file; it is skipped"));
            return false;
        }
        if (++_objects > limits.MaxObjectsPerFile)
        {
            if (_objects == limits.MaxObjectsPerFile + 1)
            {
                problems.Add(new DatasetProblem(file, path, $"the file has more than {limits.MaxObjectsPerFile} objects " +
                    $"({Hdf5Limits.SectionName}:MaxObjectsPerFile); the rest are not described"));
            }
            return false;
        }
        var identity = PureHdfInternals.Identity(child, h5);
        if (identity is { InFile: false })
        {
            problems.Add(new DatasetProblem(file, path, "links to another file; links out of the file are not followed"));
            return false;
        }
        if (identity is { Address: var address } && !_visited.TryAdd(address, path))
        {
            var first = _visited[address];
            problems.Add(new DatasetProblem(file, path, child is IH5Group && IsAncestor(first, path)
                ? $"group /{path} links back to {(first == "/" ? "/" : "/" + first)} (a cycle); it is not walked again"
                : $"is another name of /{first.TrimStart('/')}; it is described once"));
            return false;
        }
        return true;
    }

    /// <summary>
    /// The group's members as PureHDF opens them, one by one: a member whose header is damaged ends the
    /// group's listing with a note (PureHDF's enumeration cannot go past it) instead of failing the file.
    /// </summary>
    public IEnumerable<IH5Object> Children(IH5Group group, string path)
    {
        IEnumerator<IH5Object> members;
        try
        {
            members = group.Children().GetEnumerator();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problems.Add(new DatasetProblem(file, path.Length == 0 ? "/" : path, $"the group's members cannot be listed ({ex.Message})"));
            yield break;
        }
        using (members)
        {
            while (true)
            {
                try
                {
                    if (!members.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    problems.Add(new DatasetProblem(file, path.Length == 0 ? "/" : path,
                        $"a member of the group cannot be read ({ex.Message}); the members after it are not described"));
                    yield break;
                }
                yield return members.Current;
            }
        }
    }

    /// <summary>Whether to walk into the group at <paramref name="path"/>, <paramref name="depth"/> levels below the root.</summary>
    public bool Descend(string path, int depth)
    {
        if (depth < limits.MaxGroupDepth)
        {
            return true;
        }
        problems.Add(new DatasetProblem(file, path, $"groups nest deeper than {limits.MaxGroupDepth} levels " +
            $"({Hdf5Limits.SectionName}:MaxGroupDepth); the group's contents are not described"));
        return false;
    }

    private static bool IsAncestor(string ancestor, string path) =>
        ancestor == "/" || path.StartsWith(ancestor + "/", StringComparison.Ordinal);
}
