using System.Text.Json;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Json;
using WebTrainer.Shared.Sweeps;

namespace WebTrainer.Shared.Storage;

/// <summary>A sweep's job with its point and results, as Dapper reads it.</summary>
internal sealed class SweepPointRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Status { get; set; } = "";
    public int SweepIndex { get; set; }
    public string SweepValues { get; set; } = "{}";
    public int Epoch { get; set; }
    public int TotalEpochs { get; set; }
    public double? BestValAccuracy { get; set; }
    public double? BestValLoss { get; set; }
    public double? TestAccuracy { get; set; }

    public SweepPoint ToPoint() => new(SweepIndex, Id, Name, Enum.Parse<JobStatus>(Status),
        ContractJson.Deserialize<Dictionary<string, JsonElement>>(SweepValues), Epoch, TotalEpochs,
        BestValAccuracy, BestValLoss, TestAccuracy);
}
