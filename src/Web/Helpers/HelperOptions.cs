namespace WebTrainer.Web.Helpers;

/// <summary>
/// The helper processes that parse users' files and images for the Web (section <c>Helpers</c>).
/// <see cref="WorkerPath"/> unset: the Worker next to the Web (<c>worker/</c> under the Web's own
/// folder, as the Docker image ships it), else the repository's build output of src/Worker in the
/// Web's configuration; neither there is a startup error.
/// </summary>
internal sealed class HelperOptions
{
    public const string SectionName = "Helpers";

    /// <summary>How many helpers run at once; further requests wait for one (<see cref="MaxQueue"/> of them at most).</summary>
    public int Count { get; set; } = 2;

    /// <summary>Requests that may wait for a free helper before more are answered 503 at once.</summary>
    public int MaxQueue { get; set; } = 32;

    /// <summary>Resident memory above which a helper is killed; its managed heap is capped at three quarters of it.</summary>
    public int MemoryLimitMb { get; set; } = 1024;

    /// <summary>How long one inspection, validation or prediction may take before its helper is killed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The same for sample previews, which a person waits for on a page.</summary>
    public TimeSpan PreviewTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>WebTrainer.Worker.dll (started with dotnet) or its apphost.</summary>
    public string? WorkerPath { get; set; }

    /// <summary>Tests only: lets requests for files named <c>fault-*</c> crash, hang or exhaust a helper.</summary>
    public bool FaultInjection { get; set; }
}
