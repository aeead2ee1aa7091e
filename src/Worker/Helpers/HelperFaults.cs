using System.Runtime.InteropServices;
using System.Text.Json;
using WebTrainer.Shared.Helpers;

namespace WebTrainer.Worker.Helpers;

/// <summary>
/// A switch only the helper fault tests set (the Web passes <see cref="HelperProtocol.FaultVariable"/>
/// when <c>Helpers:FaultInjection=true</c>): a request whose file name contains <c>fault-abort</c>
/// makes the helper die by SIGABRT mid-request, <c>fault-hang</c> hang, <c>fault-native</c> allocate
/// native memory until it is killed, <c>fault-managed</c> allocate managed memory until the heap limit.
/// </summary>
internal static partial class HelperFaults
{
    private const int SigAbrt = 6;

    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(HelperProtocol.FaultVariable) == "1";

    public static void Strike(JsonElement body)
    {
        var file = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("file", out var name) && name.ValueKind == JsonValueKind.String
            ? Path.GetFileName(name.GetString() ?? "") : "";
        if (file.Contains("fault-abort", StringComparison.Ordinal))
        {
            _ = SetSignalHandler(SigAbrt, IntPtr.Zero);
            _ = Raise(SigAbrt);
        }
        else if (file.Contains("fault-hang", StringComparison.Ordinal))
        {
            Thread.Sleep(Timeout.Infinite);
        }
        else if (file.Contains("fault-native", StringComparison.Ordinal))
        {
            AllocateNative();
        }
        else if (file.Contains("fault-managed", StringComparison.Ordinal))
        {
            var kept = new List<byte[]>();
            while (true)
            {
                var block = new byte[16 << 20];
                Array.Fill(block, (byte)1);
                kept.Add(block);
            }
        }
    }

    /// <summary>Touches every page, so resident memory grows as a native decoder's would.</summary>
    private static unsafe void AllocateNative()
    {
        const int block = 16 << 20;
        while (true)
        {
            var memory = (byte*)NativeMemory.Alloc(block);
            new Span<byte>(memory, block).Fill(1);
            Thread.Sleep(20);
        }
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial IntPtr SetSignalHandler(int signal, IntPtr handler);

    [LibraryImport("libc", EntryPoint = "raise")]
    private static partial int Raise(int signal);
}
