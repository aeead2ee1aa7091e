namespace WebTrainer.Shared.Jobs;

/// <summary><c>PUT /api/jobs/{id}/priority</c> (admins): higher runs first among queued jobs.</summary>
public sealed record SetPriorityRequest(int Priority);
