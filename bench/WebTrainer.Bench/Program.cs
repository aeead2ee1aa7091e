using System.Globalization;
using WebTrainer.Bench;

// Numbers in tables and arguments read the same on every machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// A benchmark, not a service: each command prints one result and exits.
return args.FirstOrDefault() switch
{
    "generate" => GenerateCommand.Run(BenchArgs.Parse(args[1..])),
    "loader" => LoaderBenchmark.Run(BenchArgs.Parse(args[1..])),
    "child" => ChildRun.Run(BenchArgs.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          generate --out F --count N [--size 299] [--chunked|--contiguous] [--chunk-rows 1] [--deflate] [--classes 101]
          loader --file F [--images train_img] [--labels train_labels] [--batch 64] [--readers 1,2]
                 [--seconds 8] [--max-mb 2048] [--budget-mb 256] [--cache cold|warm]
        """);
    return 2;
}
