using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Turns a libtorch exception into a job error a person can act on: what failed (the operation),
/// where (split, epoch, batch) and what to try. Its full report, with the native stack, belongs in the
/// job log, not in the error.
/// </summary>
internal static partial class NativeErrors
{
    public static string Describe(ExternalException exception, RunPoint point)
    {
        var text = exception.Message;
        var summary = Summary(text);
        var operation = RaisedFrom().Match(text) is { Success: true } match ? $" in {match.Groups[1].Value}" : "";
        return $"libtorch failed{operation} {point.Describe()}: {summary}. {Hint(text)}";
    }

    /// <summary>The report's first line, without PyTorch's "could this message be improved" plea.</summary>
    private static string Summary(string text)
    {
        var first = text.Split('\n', 2)[0];
        first = ImprovePlea().Replace(first, "").Trim();
        if (first.Length > 300)
        {
            first = first[..300] + "…";
        }
        return first.TrimEnd('.');
    }

    private static string Hint(string text)
    {
        if (text.Contains("out of memory", StringComparison.OrdinalIgnoreCase) || text.Contains("can't allocate", StringComparison.OrdinalIgnoreCase))
        {
            return "The device ran out of memory: lower training.batchSize, or choose a smaller model or input size.";
        }
        if (text.Contains("out of bounds", StringComparison.OrdinalIgnoreCase) || text.Contains("Target", StringComparison.Ordinal))
        {
            return "A label does not fit the model's classes: check the label dataset's values against the class count.";
        }
        if (text.Contains("size mismatch", StringComparison.OrdinalIgnoreCase) || text.Contains("shape", StringComparison.OrdinalIgnoreCase))
        {
            return "A tensor had an unexpected shape: check the image dataset's shape and the model's input size.";
        }
        return "This happened inside libtorch; the job log has its full report. Retry with another batch size or architecture, " +
            "and report it with the job log if it persists.";
    }

    [GeneratedRegex(@"Exception raised from (\S+) at")]
    private static partial Regex RaisedFrom();

    [GeneratedRegex(@"\s*\(Could this error message be improved\?[^)]*\)")]
    private static partial Regex ImprovePlea();
}
