namespace WebTrainer.Shared.Jobs;

/// <summary>Where the train split's augmentation runs (<c>augmentation.device</c>).</summary>
public static class AugmentationDevices
{
    /// <summary>On the training device when it is a GPU, on the CPU otherwise.</summary>
    public const string Auto = "auto";

    /// <summary>Per image on the reader threads, in float32, before the batch is made.</summary>
    public const string Cpu = "cpu";

    /// <summary>Batched tensor ops on the training device, on uint8 batches sent there as read (also on a CPU-only Worker).</summary>
    public const string Device = "device";

    public static readonly IReadOnlyList<string> All = [Auto, Cpu, Device];
}
