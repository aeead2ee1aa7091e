namespace WebTrainer.Shared.Jobs;

/// <summary>Where a job trains (<c>training.device</c>) and what a Worker uses (<c>Worker:Device</c>).</summary>
public static class Devices
{
    /// <summary>CUDA when the Worker has it, else CPU.</summary>
    public const string Auto = "auto";
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    public static readonly IReadOnlyList<string> All = [Auto, Cpu, Cuda];
}
