using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Metrics;

namespace WebTrainer.Shared.Storage;

/// <summary>A row of the <c>jobs</c> table as Dapper reads it.</summary>
internal sealed class JobRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Owner { get; set; } = "";
    public string Spec { get; set; } = "";
    public string Status { get; set; } = "";
    public string Queue { get; set; } = "";
    public string? HangfireJobId { get; set; }
    public bool CancelRequested { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? WorkerName { get; set; }
    public int Epoch { get; set; }
    public int TotalEpochs { get; set; }
    public double? BestValAccuracy { get; set; }
    public string? Error { get; set; }
    public string? TestResults { get; set; }
    public int Priority { get; set; }
    public Guid RunKey { get; set; }
    public int Attempts { get; set; }
    public string Kind { get; set; } = JobKinds.Train;
    public string? Optimize { get; set; }
    public string? DatasetIdentity { get; set; }

    public JobStatus ParsedStatus => Enum.Parse<JobStatus>(Status);

    public JobSpec ParsedSpec => ContractJson.Deserialize<JobSpec>(Spec);

    /// <summary>The dataset file the job was validated against; null for jobs queued before it was recorded.</summary>
    public DatasetFileIdentity? ParsedDatasetIdentity => DatasetIdentity is null ? null : ContractJson.Deserialize<DatasetFileIdentity>(DatasetIdentity);

    public OptimizeSpec? ParsedOptimize => Optimize is null ? null : ContractJson.Deserialize<OptimizeSpec>(Optimize);

    public JobSummary ToSummary()
    {
        var spec = ParsedSpec;
        return new JobSummary(Id, Name, Owner, ParsedStatus, spec.Dataset.File, spec.Model.Architecture, Epoch, TotalEpochs,
            BestValAccuracy, Utc(CreatedAt), Utc(StartedAt), Utc(FinishedAt), Error)
        { Priority = Priority, Kind = Kind, OutputFile = ParsedOptimize?.Output };
    }

    public TestResults? ParsedTestResults => TestResults is null ? null : ContractJson.Deserialize<TestResults>(TestResults);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is null ? null : Utc(value.Value);
}
