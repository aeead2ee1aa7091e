using System.Runtime.InteropServices;
using TorchSharp;

namespace WebTrainer.Worker.Training;

/// <summary>Process-wide TorchSharp settings: threads and the device the Worker trains on.</summary>
internal static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _configured;

    /// <summary>
    /// Sets intra- and inter-op threads once per process: on 2 cores the default thread pools
    /// fight each other and throughput varies 3x from run to run.
    /// </summary>
    public static void Configure(int threads)
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }
            torch.set_num_threads(threads);
            try
            {
                torch.set_num_interop_threads(Math.Max(1, threads));
            }
            catch (ExternalException)
            {
                // libtorch refuses once inter-op work has started (a test host that already trained); the intra-op setting still holds.
            }
            _configured = true;
        }
    }

    /// <summary>CUDA when asked for (or <c>auto</c>) and present, else CPU.</summary>
    public static torch.Device SelectDevice(string requested)
    {
        bool cuda = requested is "cuda" or "auto" && torch.cuda.is_available();
        if (requested == "cuda" && !cuda)
        {
            throw new InvalidOperationException("training.device is 'cuda' but this Worker has no CUDA device");
        }
        return cuda ? torch.CUDA : torch.CPU;
    }
}
