using Xunit.Abstractions;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Training;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Tests.Data.Augmentation;

/// <summary>
/// The device augmenter against the CPU augmenter, on the real Fashion-MNIST pixels of the committed
/// h5py fixture (uint8 [N,16,16,3]), through the real loaders of a run.
/// </summary>
public sealed class DeviceAugmenterTests(ITestOutputHelper output)
{
    private static string File => Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "h5py_splits_contiguous.h5");

    public static TheoryData<string> Setups => ["geometry-and-colour", "crop-and-flips", "colour-only"];

    /// <summary>
    /// Tolerance, in grey levels of the 0–255 input: mean absolute error under 0.01 and every value within
    /// half a level (so the two agree on every pixel rounded back to 8 bits, but for ties). Why not exact:
    /// both warps sample bilinearly with the edge pixel repeated (a clamped coordinate and clamped
    /// neighbours give the same weights) at positions rounded to the same 1/64-pixel lattice, but the CPU warp
    /// weighs in whole numbers and grid_sample in float, and the CPU warp steps its source position along each
    /// row in float32 while the device grid computes every position from normalised coordinates: a position
    /// within float rounding of a rounding tie may go to the neighbouring lattice point, a change of up to
    /// 1/64 of the local slope (the bounds allow a few such pixels, not a systematic offset). The contrast mean
    /// is summed in double on the CPU and in float32 here. Measured on this fixture (test output, 2026-12-04,
    /// fixed-point CPU warp and <see cref="DeviceAugmenter.OnCpuLattice"/>): mean 2.5e-6 levels, worst 0.00011
    /// (geometry and colour), 2.8e-6 / 9e-5 (crop and flips), 1e-6 / 3e-5 (colour only); without rounding the
    /// grid to the lattice the mean was 0.09 and the worst 2.2 levels, which these bounds reject.
    /// </summary>
    [Theory]
    [MemberData(nameof(Setups))]
    public async Task DeviceAugmentation_AsTensorOps_MatchesTheCpuAugmenter_PerPixel(string setup)
    {
        var spec = Spec(setup);
        var data = TrainingData.Open(File, spec.Dataset);
        var cpu = new SplitLoaders(spec with { Augmentation = spec.Augmentation with { Device = AugmentationDevices.Cpu } }, data, new TrainerSettings()).Train;
        // The ops a GPU runs (grid_sample over the batch), here on the CPU.
        var device = new SplitLoaders(spec with { Augmentation = spec.Augmentation with { Device = AugmentationDevices.Device } }, data,
            new TrainerSettings { DeviceAugmentationTensorOps = true }).Train;
        Assert.False(cpu.AugmentsOnDevice);
        Assert.True(device.AugmentsOnDevice);

        var expected = await InputsAsync(cpu, epoch: 2);
        var actual = await InputsAsync(device, epoch: 2);

        Assert.Equal(expected.Length, actual.Length);
        double sum = 0, worst = 0;
        long within = 0, changed = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(expected[i] - actual[i]) * 255;
            sum += difference;
            worst = Math.Max(worst, difference);
            within += difference <= 0.5 ? 1 : 0;
        }
        var plain = await InputsAsync(new SplitLoaders(spec with { Augmentation = new AugmentationSpec() }, data, new TrainerSettings()).Train, epoch: 2);
        for (int i = 0; i < plain.Length; i++)
        {
            changed += Math.Abs(plain[i] - expected[i]) * 255 > 1 ? 1 : 0;
        }
        double mean = sum / expected.Length, share = (double)within / expected.Length;
        output.WriteLine($"{setup}: {expected.Length} values, mean |error| {mean:G3} grey levels, {share:P3} within half a level, worst {worst:G3}; " +
            $"augmentation changed {(double)changed / expected.Length:P1} of the values by more than 1 level");
        Assert.True(mean < 0.01, $"mean error {mean} grey levels");
        Assert.True(worst <= 0.5, $"worst error {worst} grey levels ({share:P3} within half a level)");
        // The comparison means something only if augmentation moved many values by more than the tolerance.
        Assert.True(changed > expected.Length / 10, $"augmentation changed only {changed} of {expected.Length} values");
    }

    /// <summary>
    /// On a CPU training device the device path prepares each image of the stored uint8 batch with the CPU
    /// augmenter's own kernels, shared out over libtorch's threads: the same bits as the CPU augmenter on the
    /// reader threads, whatever the thread count, with standardisation on so a path that standardised twice shows.
    /// </summary>
    [Theory]
    [InlineData("geometry-and-colour", 1)]
    [InlineData("geometry-and-colour", 3)]
    [InlineData("crop-and-flips", 2)]
    [InlineData("colour-only", 2)]
    public async Task DeviceAugmentation_OnACpuDevice_GivesTheCpuAugmentersBits(string setup, int threads)
    {
        var spec = Spec(setup);
        spec = spec with { Augmentation = spec.Augmentation with { Normalize = true } };
        var data = TrainingData.Open(File, spec.Dataset);
        var cpu = new SplitLoaders(spec with { Augmentation = spec.Augmentation with { Device = AugmentationDevices.Cpu } }, data, new TrainerSettings()).Train;
        var device = new SplitLoaders(spec with { Augmentation = spec.Augmentation with { Device = AugmentationDevices.Device } }, data, new TrainerSettings()).Train;
        Assert.True(device.AugmentsOnDevice);
        Assert.True(device.StoredBatches);

        var expected = await InputsAsync(cpu, epoch: 3);
        int before = get_num_threads();
        float[] actual;
        try
        {
            set_num_threads(threads);
            actual = await InputsAsync(device, epoch: 3);
        }
        finally
        {
            set_num_threads(before);
        }

        Assert.Equal(expected.Length, actual.Length);
        int differing = expected.Zip(actual).Count(p => BitConverter.SingleToInt32Bits(p.First) != BitConverter.SingleToInt32Bits(p.Second));
        Assert.True(differing == 0, $"{differing} of {expected.Length} values differ");
        var plain = await InputsAsync(new SplitLoaders(spec with { Augmentation = new AugmentationSpec { Normalize = true } }, data, new TrainerSettings()).Train, epoch: 3);
        Assert.NotEqual(plain, expected);
    }

    [Fact]
    public void Theta_ForAMirror_SwapsTheNormalisedXAxis()
    {
        var draws = new[] { new AugmentationDraw(Affine2D.Scale(-1, 1), null, null), new AugmentationDraw(Affine2D.Translate(3, -1), null, null) };

        var theta = DeviceAugmenter.Theta(draws, height: 9, width: 7);

        Assert.Equal([-1f, 0, 0, 0, 1, 0], theta[..6]);
        // A shift of 3 pixels on a 7-wide image is 3 / ((7 - 1) / 2) = 1 normalised unit; −1 pixel of 9 rows is −1/4.
        Assert.Equal([1f, 0, 1, 0, 1, -0.25f], theta[6..]);
    }

    /// <summary>
    /// The broadcast grid against libtorch's own affine_grid, for random maps (flips, rotations, zooms and shifts
    /// of several units) on square, wide, tall and one-pixel sides: the same positions to float rounding.
    /// </summary>
    [Theory]
    [InlineData(16, 16)]
    [InlineData(5, 31)]
    [InlineData(40, 3)]
    [InlineData(1, 9)]
    [InlineData(7, 1)]
    [InlineData(1, 1)]
    public void Grid_IsAffineGridsResult(int height, int width)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var theta = rand([8, 6], generator: generator).mul(4).sub(2);

        var expected = nn.functional.affine_grid(theta.view(8, 2, 3), [8, 3, height, width], align_corners: true);
        var actual = DeviceAugmenter.Grid(theta, height, width);

        Assert.Equal(expected.shape, actual.shape);
        double worst = (expected - actual).abs().max().item<float>();
        output.WriteLine($"{height}x{width}: worst difference {worst:G3}");
        Assert.True(worst < 1e-5, $"worst difference {worst}");
    }

    /// <summary>
    /// Rounding the grid to the CPU warp's lattice: every pixel position of a side longer than one pixel becomes a
    /// whole number of 1/64 pixels and moves by at most half of one; a one-pixel side stays finite (its one pixel is
    /// sampled wherever the position is).
    /// </summary>
    [Theory]
    [InlineData(16, 16)]
    [InlineData(5, 31)]
    [InlineData(1, 9)]
    [InlineData(7, 1)]
    public void OnCpuLattice_RoundsEachPositionToAWholeNumberOfSubpixels(int height, int width)
    {
        using var scope = NewDisposeScope();
        var theta = rand([8, 6], generator: new Generator(5)).mul(4).sub(2);
        var grid = DeviceAugmenter.Grid(theta, height, width);

        var lattice = DeviceAugmenter.OnCpuLattice(grid, height, width);

        Assert.Equal(grid.shape, lattice.shape);
        Assert.True(lattice.isfinite().all().item<bool>());
        int sub = AffineWarp.Subpixels;
        foreach (var (axis, side) in new[] { (0, width), (1, height) })
        {
            if (side == 1)
            {
                continue;
            }
            // Pixel position in subpixels, (g + 1)·(side − 1)/2·64, before and after.
            Tensor Subpixels(Tensor g) => g.select(3, axis).add(1).mul((side - 1) / 2.0 * sub);
            var before = Subpixels(grid);
            var after = Subpixels(lattice);
            double offLattice = (after - after.round()).abs().max().item<float>();
            double moved = (after - before).abs().max().item<float>();
            output.WriteLine($"{height}x{width} axis {axis}: off the lattice {offLattice:G3} subpixels, moved at most {moved:G3}");
            Assert.True(offLattice < 1e-2, $"off the lattice by {offLattice} subpixels");
            Assert.True(moved <= 0.5 + 1e-2, $"moved {moved} subpixels");
        }
    }

    private static JobSpec Spec(string setup) => new()
    {
        Name = "device-augmentation",
        Dataset = new DatasetSpec
        {
            File = File,
            Train = new SplitSpec { Images = "train_img", Labels = "train_labels" },
        },
        Training = new TrainingSpec { BatchSize = 32, Seed = 17 },
        Augmentation = setup switch
        {
            "geometry-and-colour" => new AugmentationSpec
            {
                RotationRange = 25, ZoomRange = 0.2, ShearRange = 10, WidthShiftRange = 0.15, HeightShiftRange = 0.1,
                HorizontalFlip = true, BrightnessRange = 0.3, ContrastRange = 0.3,
            },
            "crop-and-flips" => new AugmentationSpec { RandomCropFraction = 0.7, HorizontalFlip = true, VerticalFlip = true },
            _ => new AugmentationSpec { BrightnessRange = 0.4, ContrastRange = 0.5 },
        },
    };

    /// <summary>Every model input of one epoch, in batch order, as the step would get them on the CPU.</summary>
    private static async Task<float[]> InputsAsync(DataLoader loader, int epoch)
    {
        var values = new List<float>();
        await foreach (var batch in loader.ReadEpochAsync(epoch, 0, CancellationToken.None))
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                values.AddRange(batch.ToModelInput(CPU).data<float>().ToArray());
            }
        }
        return [.. values];
    }
}
