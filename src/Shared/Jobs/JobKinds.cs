namespace WebTrainer.Shared.Jobs;

/// <summary>What a job does: train a model, or rewrite a dataset file into a training-friendly layout.</summary>
public static class JobKinds
{
    public const string Train = "train";
    public const string Optimize = "optimize";
}
