using System.Text;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Checkpoints;

/// <summary>
/// The weights of the best epoch so far: a file in the run directory (so restore-best survives a
/// resume), or, for runs without one, bytes in memory.
/// </summary>
internal sealed class BestWeights(string? path)
{
    private byte[]? _memory;

    public bool Exists => path is null ? _memory is not null : File.Exists(path);

    public void Save(nn.Module model)
    {
        if (path is null)
        {
            using var memory = new MemoryStream();
            Write(memory, model);
            _memory = memory.ToArray();
            return;
        }
        AtomicFile.Write(path, stream => Write(stream, model));
    }

    public void Restore(nn.Module model)
    {
        using Stream stream = path is null
            ? new MemoryStream(_memory ?? throw new InvalidOperationException("no best weights were saved"))
            : File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        model.load(reader, strict: true);
    }

    /// <summary>Forgets the weights of an earlier run in the same directory (a fresh start).</summary>
    public void Clear()
    {
        _memory = null;
        if (path is not null)
        {
            File.Delete(path);
        }
    }

    internal static void Write(Stream stream, nn.Module model)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        model.save(writer);
    }
}
