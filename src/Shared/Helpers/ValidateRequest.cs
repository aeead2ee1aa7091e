using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Helpers;

/// <summary>Check <paramref name="Spec"/>'s dataset against <paramref name="File"/> (a full path the Web resolved).</summary>
public sealed record ValidateRequest(string File, JobSpec Spec);
