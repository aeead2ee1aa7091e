namespace WebTrainer.Shared.Storage;

/// <summary>Hangfire queues per device class: a spec asking for CUDA waits for a GPU Worker.</summary>
public static class JobQueues
{
    public const string Gpu = "gpu";
    public const string Cpu = "cpu";
    public const string Any = "default";

    public static string ForDevice(string requestedDevice) => requestedDevice switch
    {
        "cuda" => Gpu,
        "cpu" => Cpu,
        _ => Any,
    };

    /// <summary>Queues a Worker takes jobs from, GPU work first when it has a GPU.</summary>
    public static string[] ServedBy(bool hasCuda) => hasCuda ? [Gpu, Any, Cpu] : [Cpu, Any];
}
