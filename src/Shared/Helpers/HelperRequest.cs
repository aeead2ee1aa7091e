using System.Text.Json;

namespace WebTrainer.Shared.Helpers;

/// <summary>One operation for a helper process; <see cref="Body"/> is the operation's own request record.</summary>
public sealed record HelperRequest(long Id, string Op, JsonElement Body);
