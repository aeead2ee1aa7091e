using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Sweeps;

namespace WebTrainer.Shared.Storage;

/// <summary>A row of the <c>sweeps</c> table with its jobs counted by status, as Dapper reads it.</summary>
internal sealed class SweepRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Owner { get; set; } = "";
    public string Kind { get; set; } = "";
    public string[] Paths { get; set; } = [];
    public string Request { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public int Points { get; set; }
    public int Queued { get; set; }
    public int Running { get; set; }
    public int Succeeded { get; set; }
    public int Failed { get; set; }
    public int Cancelled { get; set; }
    public double? BestValAccuracy { get; set; }
    public long? BestJobId { get; set; }

    public SweepSummary ToSummary() => new(Id, Name, Owner, Kind, Paths, Points,
        new Dictionary<JobStatus, int>
        {
            [JobStatus.Queued] = Queued,
            [JobStatus.Running] = Running,
            [JobStatus.Succeeded] = Succeeded,
            [JobStatus.Failed] = Failed,
            [JobStatus.Cancelled] = Cancelled,
        },
        BestValAccuracy, BestJobId, new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)));
}
