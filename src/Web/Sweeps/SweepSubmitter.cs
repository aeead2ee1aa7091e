using System.Text.Json;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Shared.Sweeps;
using WebTrainer.Web.Jobs;

namespace WebTrainer.Web.Sweeps;

/// <summary>
/// Plans a sweep, checks every point's spec exactly as <c>POST /api/jobs</c> checks a spec (fields,
/// then the dataset file), and only when all pass stores the sweep and queues its jobs, in one
/// transaction. The queue's per-person limits apply to sweep jobs as to any other: they are
/// ordinary jobs of their owner.
/// </summary>
internal sealed partial class SweepSubmitter(
    JobSubmitter jobs,
    SweepRepository sweeps,
    QueueRepository queueRepository,
    JobQuota quota,
    IOptions<SweepOptions> options,
    ILogger<SweepSubmitter> logger)
{
    private const int MaxJobNameLength = 200;

    public async Task<SweepSubmitResult> SubmitAsync(SweepRequest request, string owner, CancellationToken cancellationToken)
    {
        var planErrors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var plan = SweepPlanner.Plan(request, options.Value.MaxPoints, planErrors);
        if (plan is null)
        {
            return new SweepSubmitResult(null, planErrors.ToDictionary(e => e.Key, e => e.Value.ToArray()), null);
        }

        var fieldErrors = new Dictionary<string, List<(string Point, string Message)>>(StringComparer.Ordinal);
        var planned = new List<PlannedJob>();
        var warnings = new List<string>();
        // The dataset check reads the file; points that differ only in hyperparameters share its answer.
        var datasetChecks = new Dictionary<(DatasetSpec, int, string), (string? Problem, IReadOnlyList<string> Warnings)>();
        var identities = new Dictionary<string, Shared.Files.DatasetFileIdentity?>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Points.Count; i++)
        {
            var values = plan.Points[i];
            var name = JobName(request.Name, i + 1, values, plan.Paths);
            JobSpec spec;
            try
            {
                spec = SpecPaths.With(request.Base, values) with { Name = name };
            }
            catch (JsonException ex)
            {
                Collect(fieldErrors, "base", name, $"the spec with this point's values cannot be read: {ex.Message}");
                continue;
            }
            if (await jobs.ValidateFieldsAsync(spec, cancellationToken) is { } errors)
            {
                foreach (var (path, messages) in errors)
                {
                    foreach (var message in messages)
                    {
                        Collect(fieldErrors, path, name, message);
                    }
                }
                continue;
            }
            if (!identities.TryGetValue(spec.Dataset.File, out var identity))
            {
                identities[spec.Dataset.File] = identity = jobs.IdentifyDataset(spec);
            }
            var key = (spec.Dataset, spec.Training.BatchSize, spec.Training.Sampling);
            if (!datasetChecks.TryGetValue(key, out var check))
            {
                datasetChecks[key] = check = await jobs.CheckDatasetAsync(spec, cancellationToken);
            }
            if (check.Problem is not null)
            {
                return new SweepSubmitResult(null, null, $"{name}: {check.Problem}");
            }
            warnings.AddRange(check.Warnings);
            planned.Add(new PlannedJob(i + 1, spec, JobQueues.ForDevice(spec.Training.Device), values) { DatasetIdentity = identity });
        }
        if (fieldErrors.Count > 0)
        {
            return new SweepSubmitResult(null, Summarise(fieldErrors, plan.Points.Count), null);
        }

        if (await quota.ExceededAsync(owner, planned.Count, cancellationToken) is { } over)
        {
            return new SweepSubmitResult(null, null, over) { QuotaExceeded = true };
        }
        var (sweepId, jobIds) = await sweeps.CreateAsync(request, plan.Kind, plan.Paths, planned, owner, cancellationToken);
        await queueRepository.WakeDispatcherAsync(cancellationToken);
        LogQueued(logger, sweepId, request.Name, owner, jobIds.Count);
        return new SweepSubmitResult(
            new SweepCreated(sweepId, $"/api/sweeps/{sweepId}", jobIds) { Warnings = warnings.Distinct().ToList() }, null, null);
    }

    /// <summary>"lr-sweep #3 learningRate=0.0003 batchSize=128": which sweep, which point, what it sets.</summary>
    internal static string JobName(string sweep, int index, IReadOnlyDictionary<string, JsonElement> values, IReadOnlyList<string> paths)
    {
        var name = $"{sweep} #{index} " + string.Join(' ', paths.Select(p => $"{SpecPaths.Label(p, paths)}={SpecPaths.Show(values[p])}"));
        return name.Length <= MaxJobNameLength ? name : name[..(MaxJobNameLength - 1)] + "…";
    }

    private static void Collect(Dictionary<string, List<(string, string)>> errors, string path, string point, string message)
    {
        if (!errors.TryGetValue(path, out var list))
        {
            errors[path] = list = [];
        }
        list.Add((point, message));
    }

    /// <summary>A message every point shares is said once; others name the points (jobs) they belong to.</summary>
    private static Dictionary<string, string[]> Summarise(Dictionary<string, List<(string Point, string Message)>> errors, int points) =>
        errors.ToDictionary(e => e.Key, e => e.Value.GroupBy(v => v.Message)
            .SelectMany(g => g.Count() == points
                ? [$"{g.Key} (every point)"]
                : g.Select(v => $"{v.Point}: {v.Message}"))
            .ToArray());

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued sweep {SweepId} '{Name}' for {Owner}: {Jobs} jobs")]
    private static partial void LogQueued(ILogger logger, long sweepId, string name, string owner, int jobs);
}
