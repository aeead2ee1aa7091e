using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// The CPU augmenter's transforms as batched tensor ops on the training device: the same per-sample
/// parameters (<see cref="ImageAugmenter.Draw"/>, from seed, epoch and row) drive one
/// <c>affine_grid</c> + <c>grid_sample</c> for the whole batch (flips, rotation, zoom, shear, shifts and
/// random crop are all in each sample's affine map), then brightness and contrast per sample. It runs on
/// rescaled float32 N,C,H,W pixels before standardisation, where the CPU augmenter runs.
/// <para>
/// The results match the CPU augmenter's to float rounding, not bit for bit: both sample bilinearly
/// with the edge pixel repeated outside the image (<c>padding_mode: border</c> clamps the coordinate,
/// which for bilinear weights is the same as clamping each neighbour, as the CPU warp does), but the
/// CPU warp steps its source position along a row in float while <c>affine_grid</c> computes each
/// from normalised coordinates, and the contrast mean is summed in float rather than double.
/// </para>
/// </summary>
internal sealed class DeviceAugmenter(ImageAugmenter augmenter)
{
    /// <summary>Augments <paramref name="images"/> (rescaled float32 N,C,H,W, one row of <paramref name="rows"/> each) in the caller's dispose scope.</summary>
    public Tensor Apply(Tensor images, int epoch, IReadOnlyList<long> rows)
    {
        long n = images.shape[0];
        if (n != rows.Count)
        {
            throw new ArgumentException($"{n} images but {rows.Count} rows", nameof(rows));
        }
        int height = (int)images.shape[2], width = (int)images.shape[3];
        var draws = new AugmentationDraw[n];
        for (int i = 0; i < n; i++)
        {
            draws[i] = augmenter.Draw(epoch, rows[i], height, width);
        }
        var device = images.device;
        var x = images;
        if (draws.Any(d => !d.Map.IsIdentity))
        {
            var theta = tensor(Theta(draws, height, width), [n, 2, 3]);
            var grid = affine_grid(Collation.DeviceCopy.To(theta, device), [n, images.shape[1], height, width], align_corners: true);
            x = grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true);
        }
        if (draws[0].Brightness is not null)
        {
            x = x.mul(Factors(draws.Select(d => d.Brightness ?? 1f), n, device));
        }
        if (draws[0].Contrast is not null)
        {
            var mean = x.mean([1, 2, 3], keepdim: true);
            using var one = 1f.ToScalar();
            x = x.sub(mean).mul(Factors(draws.Select(d => d.Contrast ?? 1f), n, device)).add(mean, one);
        }
        return x;
    }

    /// <summary>
    /// The maps for <c>affine_grid</c> with <c>align_corners</c>: its coordinates run from −1 to 1 over pixel
    /// centres, so a centred pixel offset u is u / ((W − 1) / 2). The CPU map (u, v) → (A·u + B·v + C, D·u + E·v + F)
    /// becomes [[A, B·cy/cx, C/cx], [D·cx/cy, E, F/cy]] with cx = (W − 1) / 2, cy = (H − 1) / 2.
    /// </summary>
    internal static float[] Theta(IReadOnlyList<AugmentationDraw> draws, int height, int width)
    {
        // A one-pixel side has one grid coordinate whatever the map says; any finite factor does.
        double cx = width > 1 ? (width - 1) / 2.0 : 1, cy = height > 1 ? (height - 1) / 2.0 : 1;
        var theta = new float[draws.Count * 6];
        for (int i = 0; i < draws.Count; i++)
        {
            var m = draws[i].Map;
            var row = theta.AsSpan(i * 6, 6);
            row[0] = (float)m.A;
            row[1] = (float)(m.B * cy / cx);
            row[2] = (float)(m.C / cx);
            row[3] = (float)(m.D * cx / cy);
            row[4] = (float)m.E;
            row[5] = (float)(m.F / cy);
        }
        return theta;
    }

    private static Tensor Factors(IEnumerable<float> factors, long n, Device device) =>
        Collation.DeviceCopy.To(tensor(factors.ToArray(), [n, 1, 1, 1]), device);
}
