using System.Globalization;
using System.Runtime.InteropServices;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Jobs.Runs;

/// <summary>
/// A switch only the fault tests set: <c>WEBTRAINER_TEST_FAULT=kind:epoch:batch:attempt</c> makes the
/// run process die by SIGSEGV (<c>segv</c>), SIGFPE (<c>fpe</c>) or SIGKILL (<c>kill</c>), or hang
/// (<c>hang</c>), when it is handed that training batch (or reaches that step of an optimise job,
/// epoch 1), on that attempt (a number) or on every one (<c>*</c>); <c>slow</c> makes every step from
/// there on take 200 ms longer, so that a test can act in the middle of a short job.
/// </summary>
internal sealed partial class FaultInjection
{
    public const string Variable = "WEBTRAINER_TEST_FAULT";
    private const int SigFpe = 8;
    private const int SigKill = 9;
    private const int SigSegv = 11;
    private static readonly TimeSpan SlowStep = TimeSpan.FromMilliseconds(200);

    private readonly string _kind;
    private readonly int _epoch;
    private readonly int _batch;

    private FaultInjection(string kind, int epoch, int batch)
    {
        _kind = kind;
        _epoch = epoch;
        _batch = batch;
    }

    /// <summary>The fault configured for this attempt, or null (always, outside the fault tests).</summary>
    public static FaultInjection? FromEnvironment(int attempt)
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var parts = text.Split(':');
        if (parts.Length != 4 || parts[0] is not ("segv" or "fpe" or "kill" or "hang" or "slow")
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var batch)
            || (parts[3] != "*" && !int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
        {
            throw new InvalidOperationException($"{Variable}='{text}' is not kind:epoch:batch:attempt (kind segv, fpe, kill, hang or slow; attempt a number or *)");
        }
        bool thisAttempt = parts[3] == "*" || int.Parse(parts[3], CultureInfo.InvariantCulture) == attempt;
        return thisAttempt ? new FaultInjection(parts[0], epoch, batch) : null;
    }

    public void Attach(RunPosition position) => position.Moved += point =>
    {
        if (point.Split is not (RunPosition.TrainSplit or RunPosition.OptimizePass) || point.Epoch != _epoch)
        {
            return;
        }
        if (_kind == "slow" && point.Batch >= _batch)
        {
            Thread.Sleep(SlowStep);
        }
        else if (point.Batch == _batch)
        {
            Strike();
        }
    };

    private void Strike()
    {
        if (_kind == "hang")
        {
            Thread.Sleep(Timeout.Infinite);
        }
        // The runtime handles SIGSEGV and SIGFPE itself; put back the default action so the process dies as from a native fault.
        int signal = _kind switch { "fpe" => SigFpe, "kill" => SigKill, _ => SigSegv };
        _ = SetSignalHandler(signal, IntPtr.Zero);
        _ = Raise(signal);
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial IntPtr SetSignalHandler(int signal, IntPtr handler);

    [LibraryImport("libc", EntryPoint = "raise")]
    private static partial int Raise(int signal);
}
