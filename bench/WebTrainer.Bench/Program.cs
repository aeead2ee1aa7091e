using System.Globalization;
using WebTrainer.Bench;
using WebTrainer.Bench.Load;
using WebTrainer.Bench.Training;

// Numbers in tables and arguments read the same on every machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// A benchmark, not a service: each command prints one result and exits.
return args.FirstOrDefault() switch
{
    "generate" => GenerateCommand.Run(BenchArgs.Parse(args[1..])),
    "loader" => LoaderBenchmark.Run(BenchArgs.Parse(args[1..])),
    "layouts" => LayoutsBenchmark.Run(BenchArgs.Parse(args[1..])),
    "optimize" => OptimizeCommand.Run(BenchArgs.Parse(args[1..])),
    "child" => ChildRun.Run(BenchArgs.Parse(args[1..])),
    "train" => await InRunEnvironment.RunAsync("train", args[1..], () => TrainingBenchmark.RunAsync(args[1..], cancel.Token), cancel.Token),
    IsolatedTrainingBenchmark.Command => await IsolatedTrainingBenchmark.RunOneAsync(args[1..], cancel.Token),
    "memory" => await InRunEnvironment.RunAsync("memory", args[1..], () => MemoryBenchmark.RunAsync(args[1..], cancel.Token), cancel.Token),
    "fit" => await InRunEnvironment.RunAsync("fit", args[1..], () => FitCommand.RunAsync(args[1..], cancel.Token), cancel.Token),
    "compare" => await CompareCommand.RunAsync(args[1..], cancel.Token),
    "load" => await LoadBenchmark.RunAsync(args[1..], cancel.Token),
    "augment" => await InRunEnvironment.RunAsync("augment", args[1..], () => AugmentBenchmark.RunAsync(args[1..], cancel.Token), cancel.Token),
    "augment-ops" => await InRunEnvironment.RunAsync("augment-ops", args[1..], () => Task.FromResult(AugmentOpsBenchmark.Run(args[1..])), cancel.Token),
    "run-env" => PrintRunEnvironment(new BenchOptions(args[1..]).Int("threads", 2)),
    _ => Usage(),
};

// The environment a Worker starts its run processes with, as KEY=VALUE lines, for scripts that start a run themselves.
static int PrintRunEnvironment(int threads)
{
    var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
    WebTrainer.Worker.Jobs.Runs.RunEnvironment.Apply(environment, threads);
    foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"{name}={value}");
    }
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          generate --out F --count N [--size 299] [--chunked|--contiguous] [--chunk-rows 1 | --chunks guess|A,B,C,D]
                   [--deflate|--filter deflate|fletcher32|lz4|zstd] [--classes 101]
          loader   --file F [--images train_img] [--labels train_labels] [--batch 64] [--readers 1,2]
                   [--seconds 8] [--max-mb 2048] [--budget-mb 256] [--cache cold|warm]
          optimize --in F --out G [--layout contiguous|chunked] [--deflate 0..9]
          layouts  --files A,B,.. [--mode random] [--readers 2] [--seconds 6] [--repeat 3] [--images train_img] [--labels train_labels]
          train    [--fashion FILE] [--threads 2] [--batch 128] [--resnet50-batch 32] [--warmup 5] [--steps 10] [--rounds 3]
                   [--models small_cnn,resnet18,resnet50] [--batches float32,uint8] [--workaround on,off]
          memory   [--epochs 20] [--threads 2]
          fit      --data FILE|fashion-mnist|synthetic64 [--arch small_cnn] [--epochs 5] [--batch 64] [--lr 0.001] [--threads 2] [--run-dir DIR]
                   [--max-samples N] [--readers 2] [--training-thread dedicated|pool] [--device cpu|cuda|auto]
                   [--augment off|auto|cpu|device]
          compare  [--data fashion-mnist|synthetic64|FILE] [--arch small_cnn|resnet18] [--epochs 5] [--batch 128] [--lr 0.001]
                   [--threads 2] [--pairs 2] [--max-samples N] [--python /usr/bin/python3] [--pytorch on|off] [--pytorch-passive off|on]
                   [--device cpu|cuda|auto]
                   [--variants "name:KEY=VALUE,--fit-option=value;..."]
          augment  [--data FILE] [--size 32] [--count 8192] [--batch 128] [--batches 40] [--rounds 5] [--warmup 1] [--readers 2] [--threads 2]
                   [--configs cpu,kernels,tensor,none] [--run-env on|off]
          augment-ops [--size 64] [--batch 128] [--threads 2] [--reps 20] [--rounds 5] [--maps "A,B,C,D,E,F;..."]
          run-env  [--threads 2]   (the run process's environment, KEY=VALUE lines; train, fit, memory, augment and
                   augment-ops run in it unless --run-env off)
          load     [--clients 200] [--submissions 1000] [--concurrency 50] [--follow-seconds 20]
        """);
    return 2;
}
