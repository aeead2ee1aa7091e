using System.Globalization;
using WebTrainer.Shared.Datasets;

namespace WebTrainer.Web.Datasets;

/// <summary>One line about a file for the datasets list: its splits, image geometry and classes.</summary>
internal static class DatasetSummaryText
{
    public static string Of(DatasetFileSummary summary)
    {
        var parts = new List<string>();
        if (summary.SuggestedSplits.Count > 0)
        {
            parts.Add(string.Join(" / ", summary.SuggestedSplits.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Count:N0}"))));
        }
        if (summary.Datasets.Select(d => d.Images).FirstOrDefault(i => i is not null) is { } images)
        {
            parts.Add($"{images.Height}×{images.Width}×{images.Channels} {images.PixelType}");
        }
        if (summary.Datasets.Select(d => d.Labels).FirstOrDefault(l => l is not null) is { } labels)
        {
            parts.Add($"{labels.ClassCount} classes");
        }
        if (summary.Problems.Count > 0)
        {
            parts.Add($"{summary.Problems.Count} problem(s): {summary.Problems[0].Problem}");
        }
        return parts.Count == 0 ? "no image or label datasets recognised" : string.Join(" · ", parts);
    }
}
