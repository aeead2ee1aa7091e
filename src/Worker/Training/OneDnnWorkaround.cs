using Microsoft.Extensions.Logging;
using WebTrainer.Worker.Training.Models;

namespace WebTrainer.Worker.Training;

/// <summary>
/// Whether models are built around a oneDNN crash. On AMD CPUs, oneDNN 3.7 (libtorch 2.10) takes
/// its cache sizes from CPUID 0x8000001D only; a hypervisor that zeroes that leaf makes every
/// cache 1 byte, and the blocking heuristic of oneDNN's strided backward-data convolution
/// (<c>brgemm_convolution_bwd_strided_t</c>, <c>est_eff_1x1</c>) then divides by zero — SIGFPE —
/// for 1x1 stride-2 convolutions with 1024→2048, 1024→512, 256→1024, 512→1024 or 512→2048
/// channels: ResNet-50's downsampling shortcuts. When active, the model factory computes strided
/// 1x1 convolutions as subsample-then-stride-1 (<see cref="StridedPointwiseConvolutions"/>), the
/// same numbers through kernels that work, and oneDNN stays on for everything.
/// Set by <see cref="EnvironmentVariable"/>: <c>auto</c> (default: on when the kernel reports no
/// CPU cache sizes), <c>on</c> or <c>off</c>; run processes inherit it.
/// </summary>
internal sealed partial class OneDnnWorkaround
{
    public const string EnvironmentVariable = "WEBTRAINER_ONEDNN_WORKAROUND";

    private static readonly Lazy<OneDnnWorkaround> Process =
        new(() => Decide(Environment.GetEnvironmentVariable(EnvironmentVariable), "/sys"));

    private OneDnnWorkaround(bool active, bool cachesHidden, string reason)
    {
        Active = active;
        CachesHidden = cachesHidden;
        Reason = reason;
    }

    /// <summary>This process's decision, from its environment and the real <c>/sys</c>.</summary>
    public static OneDnnWorkaround Current => Process.Value;

    public bool Active { get; }

    /// <summary>The kernel reports no CPU cache sizes (what <c>auto</c> goes by).</summary>
    public bool CachesHidden { get; }

    public string Reason { get; }

    /// <summary>Forced off although the caches are hidden: ResNet-50 training will crash.</summary>
    public bool Risky => !Active && CachesHidden;

    /// <summary>"on (why)" or "off (why)".</summary>
    public string Summary => $"{(Active ? "on" : "off")} ({Reason})";

    /// <summary>One sentence for a job event or a log.</summary>
    public string Description => Active
        ? $"oneDNN workaround on ({Reason}): strided 1x1 convolutions subsample their input and then convolve with stride 1, " +
          "so their backward pass avoids oneDNN's strided kernel that divides by zero on CPUs that hide their cache sizes"
        : $"oneDNN workaround {Summary}";

    /// <param name="setting"><c>auto</c>, <c>on</c> or <c>off</c>; null or empty means <c>auto</c>.</param>
    /// <param name="sysfsRoot">Where sysfs is mounted (<c>/sys</c>; a test passes a folder of its own).</param>
    public static OneDnnWorkaround Decide(string? setting, string sysfsRoot)
    {
        bool hidden = !CpuCaches.AreReported(sysfsRoot);
        var caches = hidden ? $"{CpuCaches.Folder(sysfsRoot)} has no cache sizes" : "the kernel reports the CPU cache sizes";
        return (setting?.Trim().ToLowerInvariant() ?? "") switch
        {
            "" or "auto" => new(hidden, hidden, $"auto: {caches}"),
            "on" => new(true, hidden, $"{EnvironmentVariable}=on; {caches}"),
            "off" => new(false, hidden, $"{EnvironmentVariable}=off; {caches}"),
            _ => throw new InvalidOperationException($"{EnvironmentVariable} must be auto, on or off, not '{setting}'"),
        };
    }

    /// <summary>Applies the workaround to a freshly built model when active; returns the modules it changed.</summary>
    public IReadOnlyList<string> ApplyTo(TorchSharp.torch.nn.Module model) =>
        Active ? StridedPointwiseConvolutions.SubsampleFirst(model) : [];

    public void Log(ILogger logger)
    {
        if (Risky)
        {
            LogRisky(logger, Reason);
        }
        else
        {
            LogDecision(logger, Active ? "on" : "off", Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "oneDNN workaround {State} ({Reason})")]
    private static partial void LogDecision(ILogger logger, string state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "oneDNN workaround off ({Reason}): training ResNet-50 may crash with SIGFPE on this CPU")]
    private static partial void LogRisky(ILogger logger, string reason);
}
