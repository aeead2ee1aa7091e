namespace WebTrainer.Shared.Jobs;

/// <summary>Metrics early stopping and the plateau schedule watch (<c>training.earlyStopping.monitor</c>).</summary>
public static class Monitors
{
    public const string ValidationLoss = "val_loss";
    public const string ValidationAccuracy = "val_accuracy";

    public static readonly IReadOnlyList<string> All = [ValidationLoss, ValidationAccuracy];
}
