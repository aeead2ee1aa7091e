using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WebTrainer.Worker.Data.Augmentation;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace WebTrainer.Bench.Training;

/// <summary>
/// <c>augment-ops [--size 64] [--batch 128] [--threads 2] [--reps 20] [--rounds 5] [--warmup-ms 1000] [--maps "A,B,C,D,E,F;..."]</c>: the device augmenter on the CPU, whole
/// and op by op, on one batch of random uint8 3-channel pixels with <see cref="AugmentBenchmark"/>'s augmentation drawn for its
/// rows (and, for <c>--maps</c>, grid_sample alone with each θ given, normalised, for every sample), each timed as the median of <c>--rounds</c> rounds of <c>--reps</c> calls (after unmeasured rounds for at least
/// <c>--warmup-ms</c>: .NET compiles a method's optimised code in the background some time after its first calls, and one short round
/// left the kernels of the first rows unoptimised in some processes, 2–6 × slower), so that the op
/// which makes the path slow on a CPU shows by name; then the CPU augmenter's per-image kernels on the same batch, as a
/// CPU device runs them (<see cref="DeviceAugmenter.PrepareOnCpu"/>) and on one thread, from the stored bytes and the
/// way before (decode to float, then warp). <c>augment</c> measures the paths in the loader.
/// </summary>
internal static class AugmentOpsBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchOptions(args);
        int size = options.Int("size", 64), n = options.Int("batch", 128), reps = options.Int("reps", 20), rounds = options.Int("rounds", 5);
        var warmUp = TimeSpan.FromMilliseconds(options.Int("warmup-ms", 1000));
        TorchRuntime.Configure(options.Int("threads", 2));
        const int channels = 3;
        using var scope = NewDisposeScope();
        using var rescale = (1 / 255f).ToScalar();
        using var one = 1f.ToScalar();
        var augmenter = new ImageAugmenter(AugmentBenchmark.Augmentation, 3);
        var device = new DeviceAugmenter(augmenter);
        var geometry = new ImageGeometryInfo(channels, size, size, ImageLayout.Nhwc, PixelType.UInt8, (long)channels * size * size);
        var preparer = new ImagePreparer(geometry, new PixelNormalizer(geometry.Layout, 1 / 255f, null, null), augmenter);
        var onCpu = new DeviceAugmenter(augmenter, preparer);
        var decoder = new PixelDecoder(geometry, 1 / 255f);
        var rows = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        var stored = randint(0, 256, [n, size, size, channels], dtype: ScalarType.Byte);
        var x = stored.permute(0, 3, 1, 2).contiguous().to(ScalarType.Float32).mul(rescale);
        // The one-thread kernels write into one batch tensor, as the loader's pool has them do: a new one per call also
        // measured the kernel zeroing fresh pages (at 128 px, 5.2 instead of 4.9 ms a batch for the channels-last warp).
        var prepared = empty([n, channels, size, size], ScalarType.Float32);
        Tensor DrawnTheta() => tensor(DeviceAugmenter.Theta(rows.Select(r => augmenter.Draw(1, r, size, size)).ToArray(), size, size), [n, 6]);
        var theta = DrawnTheta();
        var grid = DeviceAugmenter.Grid(theta, size, size);
        var factors = rand(n, 1, 1, 1);
        // One map for every sample (θ's rows in normalised coordinates): which kinds of map the sampler is slow for.
        Func<Tensor> Sample(params float[] map)
        {
            var g = DeviceAugmenter.Grid(tensor(Enumerable.Repeat(map, n).SelectMany(t => t).ToArray(), [n, 6]), size, size);
            return () => grid_sample(x, g, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true);
        }
        (string Name, Func<Tensor> Op)[] ops =
        [
            ("DeviceAugmenter.Apply, all of it", () => device.Apply(x.clone(), 1, rows)),
            ("CPU kernels: PrepareOnCpu, all threads", () => onCpu.PrepareOnCpu(stored, 1, rows)),
            ("CPU kernels: ImagePreparer.Prepare, one thread", () => CpuKernels(stored, prepared, geometry, (raw, target, scratch, row) =>
                preparer.Prepare(1, row, raw, target, scratch))),
            ("CPU kernels: bytes warp alone (rotate 10), one thread", () => CpuKernels(stored, prepared, geometry, (raw, target, scratch, row) =>
            {
                var padded = System.Runtime.InteropServices.MemoryMarshal.AsBytes(scratch)[..(raw.Length + AffineWarp.BytePadding)];
                raw.CopyTo(padded);
                AffineWarp.ApplyBytes(padded, target, channels, size, size, interleaved: true, 1 / 255f, Rotate10);
            })),
            ("CPU kernels: bytes warp into H×W×C alone (rotate 10), one thread", () => CpuKernels(stored, prepared, geometry, (raw, target, scratch, row) =>
            {
                var padded = System.Runtime.InteropServices.MemoryMarshal.AsBytes(scratch)[..(raw.Length + AffineWarp.BytePadding)];
                raw.CopyTo(padded);
                AffineWarp.ApplyBytesChannelsLast(padded, target, channels, size, size, 1 / 255f, Rotate10);
            })),
            ("CPU kernels: decode, float warp, jitter, one thread", () => CpuKernels(stored, prepared, geometry, (raw, target, scratch, row) =>
            {
                decoder.Decode(raw, scratch);
                augmenter.Apply(1, row, scratch, target, channels, size, size);
            })),
            ("draws + DeviceAugmenter.Grid", () => DeviceAugmenter.Grid(DrawnTheta(), size, size)),
            ("libtorch affine_grid, same maps", () => affine_grid(theta.view(n, 2, 3), [n, channels, size, size], align_corners: true)),
            ("grid_sample border, drawn maps", () => grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true)),
            ("grid_sample border, identity", Sample(1, 0, 0, 0, 1, 0)),
            ("grid_sample border, flip", Sample(-1, 0, 0, 0, 1, 0)),
            ("grid_sample border, zoom 0.9", Sample(0.9f, 0, 0, 0, 0.9f, 0)),
            ("grid_sample border, rotate 10", Sample(0.985f, -0.174f, 0, 0.174f, 0.985f, 0)),
            ("grid_sample border, shift 0.1", Sample(1, 0, 0.1f, 0, 1, 0.1f)),
            .. (options.Text("maps") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(map => ($"grid_sample border, map {map}", Sample(Map(map)))),
            ("uint8 NHWC to float32 NCHW, rescaled", () => stored.permute(0, 3, 1, 2).contiguous().to(ScalarType.Float32, copy: true).mul_(rescale)),
            ("brightness (per-sample mul)", () => x.mul(factors)),
            ("contrast (mean, sub, mul, add)", () =>
            {
                var mean = x.mean([1, 2, 3], keepdim: true);
                return x.sub(mean).mul(factors).add(mean, one);
            }),
        ];
        Console.WriteLine($"augment-ops: batch {n} x {channels}x{size}x{size}, {get_num_threads()} threads, median of {rounds} rounds of {reps} calls after {warmUp.TotalMilliseconds:F0} ms of warm-up");
        Console.WriteLine("| op | ms per batch | img/s |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, op) in ops)
        {
            var times = new List<double>();
            var warmingUp = Stopwatch.StartNew();
            for (int round = 0; times.Count < rounds; round++)
            {
                bool measured = round > 0 && warmingUp.Elapsed >= warmUp;
                var start = Stopwatch.GetTimestamp();
                for (int i = 0; i < reps; i++)
                {
                    using var inner = NewDisposeScope();
                    op();
                }
                if (measured)
                {
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / reps);
                }
            }
            double ms = times.Order().ElementAt(times.Count / 2);
            Console.WriteLine($"| {name} | {ms:F2} | {n / ms * 1000:F0} |");
        }
        return 0;
    }

    private static readonly Affine2D Rotate10 = Affine2D.Rotate(10 * Math.PI / 180);

    private delegate void ImageKernel(ReadOnlySpan<byte> raw, Span<float> target, Span<float> scratch, long row);

    /// <summary>The CPU augmenter's per-image work for the batch on this thread, into <paramref name="output"/> (float32).</summary>
    private static Tensor CpuKernels(Tensor stored, Tensor output, ImageGeometryInfo geometry, ImageKernel kernel)
    {
        int n = (int)output.shape[0], floats = geometry.Channels * geometry.Height * geometry.Width, rowBytes = (int)geometry.RowBytes;
        // Room for either kernel: the preparer's two scratch images, the decode's one.
        var scratch = new float[2 * floats];
        var source = stored.bytes;
        var target = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(output.bytes);
        for (int i = 0; i < n; i++)
        {
            kernel(source.Slice(i * rowBytes, rowBytes), target.Slice(i * floats, floats), scratch, i);
        }
        return output;
    }

    /// <summary>One <c>--maps</c> entry, θ's six numbers A,B,C,D,E,F; anything else is an error that names the entry.</summary>
    private static float[] Map(string map)
    {
        var numbers = map.Split(',');
        var values = new float[numbers.Length];
        if (numbers.Length != 6 || !numbers.Select((number, i) => float.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            throw new ArgumentException($"--maps entry '{map}' is not six numbers A,B,C,D,E,F (θ's rows, normalised coordinates)");
        }
        return values;
    }
}
