using WebTrainer.Shared.Datasets;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Pairs image and label datasets by name — <c>train_img</c>/<c>train_labels</c>,
/// <c>x_valid</c>/<c>y_valid</c>, <c>test/images</c>/<c>test/labels</c> — and by equal counts.
/// </summary>
internal static class SplitPairing
{
    private static readonly HashSet<string> ImageWords = ["img", "imgs", "image", "images", "x", "data", "pixels", "features", "inputs"];
    private static readonly HashSet<string> LabelWords = ["label", "labels", "y", "target", "targets", "class", "classes", "lbl"];

    private static readonly Dictionary<string, string> SplitNames = new(StringComparer.Ordinal)
    {
        ["train"] = "train", ["training"] = "train",
        ["valid"] = "validation", ["val"] = "validation", ["validation"] = "validation", ["dev"] = "validation",
        ["test"] = "test", ["testing"] = "test",
    };

    public static IReadOnlyList<SuggestedSplit> Suggest(IReadOnlyList<DatasetSummary> datasets)
    {
        var labels = datasets.Where(d => d.Role == DatasetRoles.Labels).ToList();
        var splits = new List<SuggestedSplit>();
        foreach (var images in datasets.Where(d => d.Role == DatasetRoles.Images))
        {
            var split = SplitOf(images.Path, ImageWords);
            if (split is null || splits.Any(s => s.Name == split))
            {
                continue;
            }
            var match = labels.FirstOrDefault(l => SplitOf(l.Path, LabelWords) == split && l.Shape[0] == images.Shape[0]
                && Parent(l.Path) == Parent(images.Path));
            if (match is not null)
            {
                splits.Add(new SuggestedSplit { Name = split, Images = images.Path, Labels = match.Path, Count = images.Shape[0] });
            }
        }
        string[] order = ["train", "validation", "test"];
        return splits.OrderBy(s => Array.IndexOf(order, s.Name)).ToList();
    }

    /// <summary>The split a dataset name speaks of once the image or label word is taken out, e.g. train_img → train.</summary>
    private static string? SplitOf(string path, HashSet<string> roleWords)
    {
        var words = path.ToLowerInvariant().Split(['/', '_', '-', '.', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (!words.Any(roleWords.Contains))
        {
            return null;
        }
        var rest = words.Where(w => !roleWords.Contains(w)).ToList();
        return rest.Select(w => SplitNames.GetValueOrDefault(w)).FirstOrDefault(s => s is not null);
    }

    private static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }
}
