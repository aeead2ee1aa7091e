namespace WebTrainer.Bench.Load;

internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var rank = p / 100 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank), high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public static string Line(string name, IReadOnlyList<double> ms) => FormattableString.Invariant(
        $"{name,-34} n={ms.Count,6}  p50={Of(ms, 50),8:F1} ms  p95={Of(ms, 95),8:F1} ms  max={(ms.Count == 0 ? double.NaN : ms.Max()),8:F1} ms");
}
