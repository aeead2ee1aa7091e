using Plotly.Blazor;
using Plotly.Blazor.Traces;
using PlotLayout = Plotly.Blazor.Layout;

namespace WebTrainer.Web.Components.Charts;

/// <summary>
/// One chart's definition and the points waiting to be appended to it. Points added before the
/// chart component exists go straight into its traces; afterwards they wait in <see cref="Pending"/>
/// until the page flushes them in one <c>extendTraces</c> call, a few times a second, but not before
/// plotly has drawn the chart: <c>newPlot</c> sends the traces only once plotly.js has loaded, and
/// <c>ExtendTraces</c> adds its points to those same traces, so a point flushed in between would be
/// drawn twice.
/// </summary>
internal sealed class LiveChart(string id, PlotLayout layout, List<ITrace> traces)
{
    public string Id { get; } = id;
    public PlotLayout Layout { get; } = layout;
    public IList<ITrace> Traces { get; } = traces;
    public PendingPoints Pending { get; } = new();

    private bool _drawn;

    /// <summary>Set by the page when the chart component exists; from then on points wait in <see cref="Pending"/>.</summary>
    public PlotlyChart? Chart { get; set; }

    /// <summary>The chart's <c>AfterRender</c>: plotly has drawn it, so pending points can be appended.</summary>
    public void MarkDrawn() => _drawn = true;

    public void Add(int trace, double x, double? y)
    {
        var value = ChartStyle.Value(y);
        if (Chart is null)
        {
            var scatter = (Scatter)Traces[trace];
            scatter.X.Add(x);
            scatter.Y.Add(value!);
        }
        else
        {
            Pending.Add(trace, x, value);
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Pending.FlushAsync(_drawn ? Chart : null, cancellationToken);
}
