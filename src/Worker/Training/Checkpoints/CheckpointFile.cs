using System.Text;
using TorchSharp.Modules;
using WebTrainer.Shared.Json;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Checkpoints;

/// <summary>
/// One file: magic, the JSON header (<see cref="CheckpointState"/>), the model's state dict
/// (TorchSharp format), the optimiser's state, and the CPU generator's state (dropout on the CPU draws from it;
/// a CUDA run's dropout uses the CUDA generator, which is not saved, so exact resume is a CPU promise).
/// Written atomically; the header can be read alone to check the fingerprint before any tensor is touched.
/// </summary>
internal static class CheckpointFile
{
    private static readonly byte[] Magic = "WTCKPT\n"u8.ToArray();

    public static void Write(string path, CheckpointState state, nn.Module model, OptimizerHelper optimizer) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(ContractJson.Serialize(state));
            model.save(writer);
            optimizer.save_state_dict(writer);
            using var rng = get_rng_state();
            var bytes = rng.data<byte>().ToArray();
            writer.Write(bytes.Length);
            writer.Write(bytes);
        });

    public static CheckpointState ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        return ReadHeader(reader, path);
    }

    /// <summary>Loads weights, optimiser state and RNG state in place and returns the header.</summary>
    public static CheckpointState Restore(string path, nn.Module model, OptimizerHelper optimizer, Device device)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var state = ReadHeader(reader, path);
        model.load(reader, strict: true);
        optimizer.load_state_dict(reader);
        OptimizerStateDevice.MoveTo(optimizer, device);
        var bytes = reader.ReadBytes(reader.ReadInt32());
        using var rng = tensor(bytes, ScalarType.Byte);
        set_rng_state(rng);
        return state;
    }

    private static CheckpointState ReadHeader(BinaryReader reader, string path)
    {
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new CheckpointMismatchException($"{path} is not a WebTrainer checkpoint");
        }
        var state = ContractJson.Deserialize<CheckpointState>(reader.ReadString());
        if (state.Format != CheckpointState.CurrentFormat)
        {
            throw new CheckpointMismatchException($"{path} has checkpoint format {state.Format}; this Worker reads format {CheckpointState.CurrentFormat}");
        }
        return state;
    }
}
