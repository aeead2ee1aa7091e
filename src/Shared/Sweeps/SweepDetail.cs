using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Sweeps;

/// <summary>A sweep with its base spec and its points in order (<c>GET /api/sweeps/{id}</c>).</summary>
public sealed record SweepDetail(SweepSummary Summary, JobSpec Base, IReadOnlyList<SweepPoint> Points);
