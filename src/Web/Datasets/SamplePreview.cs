using WebTrainer.Shared.Files;
using WebTrainer.Shared.Helpers;
using WebTrainer.Shared.Jobs;
using WebTrainer.Web.Helpers;

namespace WebTrainer.Web.Datasets;

/// <summary>
/// Rows of an image dataset as PNGs, as stored or as the train split's augmentation would change
/// them at a given epoch, rendered by a helper process with the training pipeline's own augmenter.
/// </summary>
internal sealed class SamplePreview(DataRoots roots, HelperClient helpers)
{
    public const int MaxRows = 64;

    /// <summary>PNGs of <paramref name="rows"/> (and their classes, with <paramref name="labels"/>); each image at least 96 pixels.</summary>
    public Task<SamplesAnswer> RenderAsync(string file, string dataset, IReadOnlyList<long> rows, AugmentationSpec? augmentation,
        int seed, int epoch, string? labels, CancellationToken cancellationToken)
    {
        if (rows.Count is 0 or > MaxRows)
        {
            throw new HelperRejectedException(true, $"ask for 1 to {MaxRows} rows");
        }
        var path = roots.ResolveExisting(file);
        return helpers.SamplesAsync(new SamplesRequest(path, dataset, rows, augmentation, seed, epoch, labels), file, cancellationToken);
    }
}
