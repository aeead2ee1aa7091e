namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// A 2-D affine map in image-centred pixel coordinates: (u, v) → (A·u + B·v + C, D·u + E·v + F).
/// Augmentations are built as the inverse map, from an output pixel to where it samples the input.
/// </summary>
internal readonly record struct Affine2D(double A, double B, double C, double D, double E, double F)
{
    public static Affine2D Identity { get; } = new(1, 0, 0, 0, 1, 0);

    public bool IsIdentity => this == Identity;

    /// <summary>This map applied after <paramref name="inner"/>: p ↦ this(inner(p)).</summary>
    public Affine2D After(Affine2D inner) => new(
        A * inner.A + B * inner.D, A * inner.B + B * inner.E, A * inner.C + B * inner.F + C,
        D * inner.A + E * inner.D, D * inner.B + E * inner.E, D * inner.C + E * inner.F + F);

    public static Affine2D Scale(double sx, double sy) => new(sx, 0, 0, 0, sy, 0);

    public static Affine2D Translate(double tx, double ty) => new(1, 0, tx, 0, 1, ty);

    public static Affine2D Rotate(double radians)
    {
        double c = Math.Cos(radians), s = Math.Sin(radians);
        return new(c, -s, 0, s, c, 0);
    }

    /// <summary>Keras' shear: x' = x − sin(φ)·y, y' = cos(φ)·y.</summary>
    public static Affine2D Shear(double radians) => new(1, -Math.Sin(radians), 0, 0, Math.Cos(radians), 0);
}
