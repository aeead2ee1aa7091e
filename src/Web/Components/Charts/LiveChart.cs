using Plotly.Blazor;
using Plotly.Blazor.Traces;
using PlotLayout = Plotly.Blazor.Layout;

namespace WebTrainer.Web.Components.Charts;

/// <summary>
/// One chart's definition and the points waiting to be appended to it. Points added before the
/// chart is drawn go straight into its traces; afterwards they wait in <see cref="Pending"/> until
/// the page flushes them in one <c>extendTraces</c> call, a few times a second.
/// </summary>
internal sealed class LiveChart(string id, PlotLayout layout, List<ITrace> traces)
{
    public string Id { get; } = id;
    public PlotLayout Layout { get; } = layout;
    public IList<ITrace> Traces { get; } = traces;
    public PendingPoints Pending { get; } = new();

    /// <summary>Set by the page once plotly has drawn the chart; from then on points are appended.</summary>
    public PlotlyChart? Chart { get; set; }

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

    public Task FlushAsync(CancellationToken cancellationToken) => Pending.FlushAsync(Chart, cancellationToken);
}
