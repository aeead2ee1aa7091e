namespace WebTrainer.Web.Helpers;

/// <summary>The helper read the request and refused it: the file or image cannot be used as asked (its message says why).</summary>
internal sealed class HelperRejectedException(bool outOfRange, string message) : Exception(message)
{
    /// <summary>A row or argument outside what the file holds, rather than a problem of the file itself.</summary>
    public bool OutOfRange { get; } = outOfRange;
}
