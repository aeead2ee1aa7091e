using Microsoft.Playwright;

namespace WebTrainer.Browser.Tests.Support;

/// <summary>What the tests read from the dashboard besides the DOM: plotly's own chart data, polled values.</summary>
public static class Dashboard
{
    /// <summary>Points in one trace of a plotly chart, as plotly holds them (-1: no such chart or trace yet).</summary>
    public static Task<int> PointsAsync(IPage page, string chartId, int trace) =>
        page.EvaluateAsync<int>("([id, i]) => document.getElementById(id)?.data?.[i]?.x?.length ?? -1", new object[] { chartId, trace });

    /// <summary>The x values of one trace (epochs, or fractional epochs for batches).</summary>
    public static Task<double[]> XAsync(IPage page, string chartId, int trace) =>
        page.EvaluateAsync<double[]>("([id, i]) => (document.getElementById(id)?.data?.[i]?.x ?? []).map(Number)", new object[] { chartId, trace });

    public static Task<int> TracesAsync(IPage page, string chartId) =>
        page.EvaluateAsync<int>("id => document.getElementById(id)?.data?.length ?? -1", chartId);

    /// <summary>Polls <paramref name="read"/> until <paramref name="until"/> holds; fails with the last value seen.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T value = await read();
        while (!until(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: still {Show(value)} after {timeout}");
            }
            await Task.Delay(250);
            value = await read();
        }
        return value;
    }

    private static string Show<T>(T value) => value is System.Collections.IEnumerable list and not string
        ? "[" + string.Join(", ", list.Cast<object>()) + "]"
        : value?.ToString() ?? "null";
}
