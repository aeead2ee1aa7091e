namespace WebTrainer.Shared.Jobs;

/// <summary>Learning-rate schedules (<c>training.schedule.kind</c>).</summary>
public static class ScheduleKinds
{
    public const string Step = "step";
    public const string Cosine = "cosine";
    public const string Plateau = "plateau";

    public static readonly IReadOnlyList<string> All = [Step, Cosine, Plateau];
}
