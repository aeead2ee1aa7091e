using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Helpers;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Helpers;

/// <summary>The inspector's view of a file: datasets, storage, roles, label checks, read costs.</summary>
internal static class InspectOperation
{
    public static DatasetFileSummary Run(FileRequest request, CancellationToken cancellationToken) =>
        Hdf5Inspector.Inspect(request.File, cancellationToken);
}
