using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using PlotLayout = Plotly.Blazor.Layout;

namespace WebTrainer.Web.Components.Charts;

/// <summary>One look for every chart of the dashboard, so that pages only say what they plot.</summary>
internal static class ChartStyle
{
    public const string Train = "#3056d3";
    public const string Validation = "#e8590c";
    public const string Batch = "#8aa2ec";

    /// <summary>Colours for runs side by side (Compare page): distinct, readable on white.</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#3056d3", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#1098ad", "#a61e4d", "#5c940d", "#d9480f", "#364fc7"];

    public static Config Config() => new()
    {
        Responsive = true,
        DisplayLogo = false,
        DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.Hover,
    };

    public static PlotLayout Layout(string title, string xTitle, string yTitle, bool percent = false, bool fromZero = false, string? y2Title = null)
    {
        var layout = new PlotLayout
        {
            Title = new Title
            {
                Text = $"<b>{title}</b>",
                Font = new Plotly.Blazor.LayoutLib.TitleLib.Font { Size = 13 },
                X = 0,
                XRef = Plotly.Blazor.LayoutLib.TitleLib.XRefEnum.Paper,
                XAnchor = Plotly.Blazor.LayoutLib.TitleLib.XAnchorEnum.Left,
            },
            // The container's CSS gives the height; plotly fills it and follows its width.
            AutoSize = true,
            Margin = new Margin { L = 56, R = y2Title is null ? 16 : 56, T = 48, B = 44 },
            PaperBgColor = "#ffffff",
            PlotBgColor = "#ffffff",
            Font = new Font { Family = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", Size = 11, Color = "#1d2433" },
            HoverMode = HoverModeEnum.XUnified,
            Legend =
            [
                new Legend
                {
                    Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H,
                    X = 1,
                    XAnchor = Plotly.Blazor.LayoutLib.LegendLib.XAnchorEnum.Right,
                    Y = 1.02m,
                    YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Bottom,
                },
            ],
            ModeBar = new ModeBar { Orientation = Plotly.Blazor.LayoutLib.ModeBarLib.OrientationEnum.V },
            // Keeps zoom and hidden traces as they are when points are appended or the chart reacts.
            UiRevision = "keep",
            XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle }, GridColor = "#eef0f5", ZeroLine = false }],
            YAxis =
            [
                new YAxis
                {
                    Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle },
                    GridColor = "#eef0f5",
                    TickFormat = percent ? ".0%" : null,
                    // Accuracy lives in [0, 1]; a flat 100 % line would otherwise get an axis up to 200 %.
                    Range = percent ? [0, 1.02] : null,
                    // A constant series (a learning rate without schedule) would otherwise float in an arbitrary range.
                    RangeMode = fromZero ? Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero : null,
                    ZeroLine = false,
                },
            ],
        };
        if (y2Title is not null)
        {
            layout.YAxis.Add(new YAxis
            {
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = y2Title },
                Overlaying = "y",
                Side = Plotly.Blazor.LayoutLib.YAxisLib.SideEnum.Right,
                ShowGrid = false,
                ZeroLine = false,
            });
        }
        return layout;
    }

    /// <summary>A line trace with empty point lists, ready to be filled or extended.</summary>
    public static Scatter Line(string name, string color, bool markers = false, bool dashed = false, decimal width = 2, decimal opacity = 1,
        bool secondAxis = false) => new()
    {
        Name = name,
        Mode = markers ? ModeFlag.Lines | ModeFlag.Markers : ModeFlag.Lines,
        Line = new Line { Color = color, Width = width, Dash = dashed ? "dot" : "solid" },
        Marker = new Marker { Size = 6, Color = color },
        Opacity = opacity,
        YAxis = secondAxis ? "y2" : null,
        X = [],
        Y = [],
    };

    /// <summary>A point value plotly can take: JSON has no NaN, and a gap is better than a broken chart.</summary>
    public static object? Value(double value) => double.IsFinite(value) ? value : null;

    public static object? Value(double? value) => value is { } v ? Value(v) : null;
}
