using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Shared.Helpers;
using WebTrainer.Shared.Json;

namespace WebTrainer.Worker.Helpers;

/// <summary>
/// <c>helper</c>: a helper process of the Web. It parses users' HDF5 files and images and runs
/// inference, one request at a time (<see cref="HelperProtocol"/>), so that a file that crashes a
/// reader, hangs it or exhausts memory ends this process and not the Web. Logs go to stderr.
/// </summary>
internal static partial class HelperCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 0)
        {
            await Console.Error.WriteLineAsync("usage: helper (requests on stdin, answers on stdout)");
            return 2;
        }
        using var logging = LoggerFactory.Create(b => b
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Information));
        var logger = logging.CreateLogger(typeof(HelperCommand));
        // The Web passes its environment on: Hdf5__Limits__* set for the Web bind the helpers' readers too.
        var limits = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(Hdf5Limits.SectionName).Get<Hdf5Limits>() ?? new();
        if (limits.Problem() is { } problem)
        {
            await Console.Error.WriteLineAsync(problem);
            return 2;
        }
        Hdf5Limits.Use(limits);
        using var predictors = new PredictorCache();
        var dispatcher = new HelperDispatcher(predictors, HelperFaults.Enabled, logger);
        LogStarted(logger, Environment.ProcessId, HelperFaults.Enabled);
        // Native libraries may print on stdout: answers carry a marker, and nothing else is written there by this code.
        var output = Console.Out;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var request = ContractJson.Deserialize<HelperRequest>(line);
            // No cancellation inside a request: the Web kills a helper whose request it no longer wants.
            var answer = dispatcher.Run(request, CancellationToken.None);
            await output.WriteLineAsync(HelperProtocol.Marker + ContractJson.Serialize(answer));
            await output.FlushAsync();
        }
        // stdin ended: the Web is gone or let this helper go.
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Helper process {Pid} ready (fault injection {Faults})")]
    private static partial void LogStarted(ILogger logger, int pid, bool faults);
}
