using WebTrainer.Bench.Load;
using WebTrainer.Bench.Training;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return args.FirstOrDefault() switch
{
    "train" => await TrainingBenchmark.RunAsync(args[1..], cancel.Token),
    "memory" => await MemoryBenchmark.RunAsync(args[1..], cancel.Token),
    "fit" => await FitCommand.RunAsync(args[1..], cancel.Token),
    "load" => await LoadBenchmark.RunAsync(args[1..], cancel.Token),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: WebTrainer.Bench train  [--fashion FILE] [--threads 2] [--batch 128] [--warmup 5] [--steps 10] [--rounds 3]");
    Console.Error.WriteLine("       WebTrainer.Bench memory [--epochs 20] [--threads 2]");
    Console.Error.WriteLine("       WebTrainer.Bench load   [--clients 200] [--submissions 1000] [--concurrency 50] [--follow-seconds 20]");
    Console.Error.WriteLine("       WebTrainer.Bench fit    --data FILE [--arch small_cnn] [--epochs 5] [--batch 64] [--lr 0.001] [--threads 2] [--run-dir DIR]");
    return 2;
}
