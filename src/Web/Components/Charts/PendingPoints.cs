using Plotly.Blazor;

namespace WebTrainer.Web.Components.Charts;

/// <summary>
/// Points waiting to be appended to a chart. Pages add points as updates arrive and flush a few
/// times a second, so the browser gets one small <c>extendTraces</c> per flush instead of a redraw
/// per batch.
/// </summary>
internal sealed class PendingPoints
{
    private readonly Dictionary<int, (List<object?> X, List<object?> Y)> _pending = [];

    public void Add(int trace, double x, object? y)
    {
        if (!_pending.TryGetValue(trace, out var points))
        {
            points = ([], []);
            _pending[trace] = points;
        }
        points.X.Add(x);
        points.Y.Add(y);
    }

    public async Task FlushAsync(PlotlyChart? chart, CancellationToken cancellationToken)
    {
        if (chart is null || _pending.Count == 0)
        {
            return;
        }
        var traces = _pending.Keys.Order().ToArray();
        var xs = traces.Select(t => (IEnumerable<object>)_pending[t].X!).ToArray();
        var ys = traces.Select(t => (IEnumerable<object>)_pending[t].Y!).ToArray();
        _pending.Clear();
        await chart.ExtendTraces(xs, ys, traces, cancellationToken: cancellationToken);
    }
}
