using System.Text.Json;

namespace WebTrainer.Shared.Helpers;

/// <summary>A helper's answer to request <see cref="Id"/>: <see cref="Body"/> when <see cref="Status"/> is ok, else <see cref="Message"/>.</summary>
public sealed record HelperAnswer(long Id, string Status, string? Message = null, JsonElement? Body = null)
{
    public const string Ok = "ok";

    /// <summary>The file or image cannot be used as asked (a DatasetProblemException's text): the caller's bad input.</summary>
    public const string Rejected = "rejected";

    /// <summary>A row or argument outside what the file holds.</summary>
    public const string OutOfRange = "out-of-range";

    /// <summary>The managed heap reached the helper's hard limit.</summary>
    public const string OutOfMemory = "out-of-memory";

    /// <summary>Anything else the operation threw: the file broke the reader in a way nobody named.</summary>
    public const string Failed = "failed";
}
