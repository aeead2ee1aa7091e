namespace WebTrainer.Web.Sweeps;

/// <summary>Limits of one sweep submission.</summary>
internal sealed class SweepOptions
{
    public const string SectionName = "Sweeps";

    /// <summary>Jobs one sweep may queue; a grid or random search with more points is refused whole.</summary>
    public int MaxPoints { get; set; } = 64;
}
