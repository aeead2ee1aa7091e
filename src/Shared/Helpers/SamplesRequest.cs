using WebTrainer.Shared.Jobs;

namespace WebTrainer.Shared.Helpers;

/// <summary>
/// PNGs of <paramref name="Rows"/> of an image dataset, as stored or as <paramref name="Augmentation"/>
/// changes them at <paramref name="Epoch"/>; with <paramref name="Labels"/>, each row's class too.
/// Each image is enlarged (nearest pixel) to at least <paramref name="MinSize"/> pixels.
/// </summary>
public sealed record SamplesRequest(string File, string Images, IReadOnlyList<long> Rows, AugmentationSpec? Augmentation,
    int Seed, int Epoch, string? Labels = null, int MinSize = 96);
