using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using WebTrainer.Worker.Data.Collation;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace WebTrainer.Worker.Data.Augmentation;

/// <summary>
/// The CPU augmenter's transforms as batched tensor ops on the training device: the same per-sample
/// parameters (<see cref="ImageAugmenter.Draw"/>, from seed, epoch and row) drive one
/// sampling grid (<see cref="Grid"/>, what <c>affine_grid</c> gives) + <c>grid_sample</c> for the whole batch (flips, rotation, zoom, shear, shifts and
/// random crop are all in each sample's affine map), then brightness and contrast per sample. It runs on
/// rescaled float32 N,C,H,W pixels before standardisation, where the CPU augmenter runs.
/// <para>
/// The results match the CPU augmenter's to float rounding, not bit for bit: both sample bilinearly
/// with the edge pixel repeated outside the image (<c>padding_mode: border</c> clamps the coordinate,
/// which for bilinear weights is the same as clamping each neighbour, as the CPU warp does) at positions
/// rounded to the same 1/<see cref="AffineWarp.Subpixels"/>-pixel lattice (<see cref="OnCpuLattice"/>), but
/// the CPU warp weighs in whole numbers where grid_sample weighs in float, the two compute a position in
/// different float steps (so a position within float rounding of a rounding tie can land on the other
/// lattice point), and the contrast mean is summed in float rather than double.
/// </para>
/// <para>
/// On a CPU training device these tensor ops are not the fast way: <c>grid_sample</c> and every elementwise op
/// make a pass over the whole batch, several times the cache, while the CPU augmenter's kernels warp each image
/// right after decoding it, in cache (bench augment-ops: grid_sample alone takes longer for a batch than the CPU
/// augmenter's whole pass). So where a <see cref="ImagePreparer"/> is given and the device is the CPU, the stored
/// batch is prepared image by image with those kernels, on all of libtorch's intra-op threads
/// (<see cref="PrepareOnCpu"/>): the same parameters and the same bits as the CPU augmenter. The tensor ops stay
/// what a GPU runs, and what a CPU runs when no preparer is given (tests compare them with the CPU augmenter there).
/// </para>
/// </summary>
internal sealed class DeviceAugmenter(ImageAugmenter augmenter, ImagePreparer? cpuPreparer = null)
{
    private const int ImagesPerRun = 4;

    /// <summary>Whether a batch for <paramref name="device"/> goes through <see cref="PrepareOnCpu"/> rather than the tensor ops.</summary>
    public bool PreparesOnCpu(Device device) => cpuPreparer is not null && device.type == DeviceType.CPU;

    /// <summary>
    /// A stored batch (uint8, as read, on the CPU) to model input — float32 N,C,H,W, augmented and standardised —
    /// by the CPU augmenter's kernels, image by image, on as many threads as libtorch's intra-op thread count.
    /// A new tensor in the caller's dispose scope; <paramref name="stored"/> is only read.
    /// </summary>
    public unsafe Tensor PrepareOnCpu(Tensor stored, int epoch, IReadOnlyList<long> rows)
    {
        var preparer = cpuPreparer ?? throw new InvalidOperationException("this device augmenter was made without a CPU preparer");
        var geometry = preparer.Geometry;
        int n = rows.Count, floats = preparer.FloatsPerImage, scratchFloats = preparer.ScratchFloats, rowBytes = (int)geometry.RowBytes;
        if (stored.device_type != DeviceType.CPU || stored.dtype != ScalarType.Byte || stored.NumberOfElements != (long)n * rowBytes)
        {
            throw new ArgumentException($"expected {n} stored uint8 rows of {rowBytes} bytes on the CPU, got {stored.dtype} " +
                $"[{string.Join(", ", stored.shape)}] on {stored.device}", nameof(stored));
        }
        // N,H,W,C as the preparer writes it; the caller gets the N,C,H,W view (channels last in memory).
        var output = empty([n, geometry.Height, geometry.Width, geometry.Channels], ScalarType.Float32);
        // Native memory, not moved by the GC: the addresses hold while the two tensors live, which is past Parallel.For.
        nint source = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(stored.bytes));
        nint target = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(output.bytes));
        // Small runs of images handed out as threads come free, not one fixed share per thread: on a busy machine (the
        // reader threads run too) a thread the OS preempts would otherwise hold up the whole batch with its share.
        int threads = Math.Max(1, torch.get_num_threads()), runs = (n + ImagesPerRun - 1) / ImagesPerRun;
        Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => scratchFloats > 0 ? ArrayPool<float>.Shared.Rent(scratchFloats) : null,
            (run, _, scratch) =>
            {
                for (int i = run * ImagesPerRun, end = Math.Min(n, i + ImagesPerRun); i < end; i++)
                {
                    var raw = new ReadOnlySpan<byte>((byte*)source + (long)i * rowBytes, rowBytes);
                    var image = new Span<float>((float*)target + (long)i * floats, floats);
                    preparer.Prepare(epoch, rows[i], raw, image, scratch);
                }
                return scratch;
            },
            scratch =>
            {
                if (scratch is not null)
                {
                    ArrayPool<float>.Shared.Return(scratch);
                }
            });
        return output.permute(0, 3, 1, 2);
    }

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
            var theta = Collation.DeviceCopy.To(tensor(Theta(draws, height, width), [n, 6]), device);
            var grid = OnCpuLattice(Grid(theta, height, width), height, width);
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

    /// <summary>
    /// What <c>affine_grid(theta, [N, C, H, W], align_corners: true)</c> returns — N,H,W,2 sampling positions, x then y,
    /// each θ·(x, y, 1) over the normalised pixel centres — as broadcast sums of per-sample factors times one row or
    /// column of coordinates. libtorch's affine_grid builds an N,H,W,3 base grid and multiplies it by θ in a batched
    /// matrix product of inner size 3: on a 2-core AMD EPYC (family 26) 2.2–5.5 ms for 128 64×64 images, against
    /// 0.4–0.7 ms for this (bench augment-ops), and the augmentation in the loader went from about 12 000 to 18 000 img/s
    /// (bench augment, bench/README.md). The same products are summed in another order: positions agree to float rounding.
    /// </summary>
    /// <param name="theta">N,6 on the device: per sample the rows of θ, as <see cref="Theta"/> lays them out.</param>
    internal static Tensor Grid(Tensor theta, int height, int width)
    {
        long n = theta.shape[0];
        var xs = Steps(width, theta.device).view(1, 1, width);
        var ys = Steps(height, theta.device).view(1, height, 1);
        // An explicit Scalar for add's alpha: a temporary one can be collected while libtorch reads it (see PixelNormalizer).
        using var one = 1f.ToScalar();
        Tensor Factor(int k) => theta.narrow(1, k, 1).view(n, 1, 1);
        // Position r = θ_r0 · x + θ_r1 · y + θ_r2, per sample: [N,1,W] plus [N,H,1] broadcasts to [N,H,W].
        Tensor Coordinate(int r) => Factor(3 * r).mul(xs).add_(Factor(3 * r + 2), one).add(Factor(3 * r + 1).mul(ys), one);
        return stack([Coordinate(0), Coordinate(1)], dim: 3);
    }

    /// <summary>
    /// <paramref name="grid"/> (N,H,W,2 from <see cref="Grid"/>) with each position rounded to the CPU warp's lattice,
    /// 1/<see cref="AffineWarp.Subpixels"/> of a pixel, ties to even as the CPU warp rounds: grid_sample then weighs the
    /// same four pixels with the same fractions as the fixed-point CPU warp, to float rounding. Pixel x is
    /// (g + 1)·(W − 1)/2 under <c>align_corners</c>; a one-pixel side samples its one pixel wherever the position is.
    /// </summary>
    internal static Tensor OnCpuLattice(Tensor grid, int height, int width)
    {
        float Steps(int side) => side > 1 ? (side - 1) / 2f * AffineWarp.Subpixels : 1f;
        using var perStep = tensor(new[] { Steps(width), Steps(height) }, dtype: ScalarType.Float32, device: grid.device);
        using var one = 1f.ToScalar();
        return grid.add(one).mul_(perStep).round_().div_(perStep).sub_(one);
    }

    /// <summary>affine_grid's coordinates along one side with <c>align_corners</c>: −1 to 1 over the pixel centres, 0 for a one-pixel side.</summary>
    private static Tensor Steps(int count, Device device) =>
        count > 1 ? linspace(-1, 1, count, dtype: ScalarType.Float32, device: device) : zeros(1, dtype: ScalarType.Float32, device: device);

    private static Tensor Factors(IEnumerable<float> factors, long n, Device device) =>
        Collation.DeviceCopy.To(tensor(factors.ToArray(), [n, 1, 1, 1]), device);
}
