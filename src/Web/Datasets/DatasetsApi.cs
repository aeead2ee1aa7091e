using Microsoft.AspNetCore.Http.HttpResults;
using WebTrainer.Worker.Data;

namespace WebTrainer.Web.Datasets;

internal static class DatasetsApi
{
    private static readonly string[] Extensions = [".h5", ".hdf5", ".hdf", ".he5"];

    public static RouteGroupBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/datasets").WithTags("Datasets");
        group.MapGet("/", ListFiles).WithSummary("HDF5 files under the configured data roots");
        return group;
    }

    internal static Ok<IReadOnlyList<DatasetFileInfo>> ListFiles(DataRoots roots) => TypedResults.Ok(Files(roots));

    internal static IReadOnlyList<DatasetFileInfo> Files(DataRoots roots)
    {
        var files = new List<DatasetFileInfo>();
        for (int i = 0; i < roots.Roots.Count; i++)
        {
            var root = new DirectoryInfo(roots.Roots[i]);
            if (!root.Exists)
            {
                continue;
            }
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 8 };
            foreach (var file in root.EnumerateFiles("*", options))
            {
                if (Extensions.Contains(file.Extension, StringComparer.OrdinalIgnoreCase) && file.LinkTarget is null)
                {
                    files.Add(new DatasetFileInfo(Path.GetRelativePath(root.FullName, file.FullName), i, file.Length, file.LastWriteTimeUtc));
                }
            }
        }
        return files.OrderBy(f => f.File, StringComparer.Ordinal).ToList();
    }
}
