using WebTrainer.Shared.Jobs;

namespace WebTrainer.Web.Datasets;

/// <summary><c>POST /api/datasets/preview</c>: one row as the train split's augmentation would show it at <see cref="Epoch"/>.</summary>
internal sealed record PreviewRequest(string File, string Dataset, long Index, AugmentationSpec? Augmentation, int Seed = 42, int Epoch = 1);
