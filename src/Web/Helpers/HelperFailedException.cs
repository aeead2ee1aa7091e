namespace WebTrainer.Web.Helpers;

/// <summary>
/// A helper could not answer: it died, hung past its timeout, went over its memory limit, or failed
/// on the file in a way nobody named. <see cref="Status"/> and <see cref="Title"/> are the ProblemDetails'.
/// </summary>
internal sealed class HelperFailedException(int status, string title, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
