namespace WebTrainer.Shared.Datasets;

public static class DatasetRoles
{
    /// <summary>A batch of images: N,H,W,C or N,C,H,W (1, 3 or 4 channels) or N,H,W, in uint8, float16 or float32.</summary>
    public const string Images = "images";

    /// <summary>Class labels: integers [N] or one-hot [N,K].</summary>
    public const string Labels = "labels";

    public const string Other = "other";
}
