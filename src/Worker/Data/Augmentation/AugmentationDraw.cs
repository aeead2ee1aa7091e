namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// One sample's random augmentation parameters: the inverse affine map (identity when no geometric
/// augmentation is on) and the colour factors (null when off). What the CPU and the device paths share.
/// </summary>
internal readonly record struct AugmentationDraw(Affine2D Map, float? Brightness, float? Contrast);
