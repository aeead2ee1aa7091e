using System.Text;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models.StateDicts;

/// <summary>
/// Reads a state dict in TorchSharp's format, as written by <c>Module.save</c> and by TorchSharp's
/// <c>exportsd.py</c>: LEB128 count, then per entry a length-prefixed UTF-8 name, LEB128 dtype,
/// LEB128 rank, LEB128 dims and the raw little-endian elements. Read here rather than through
/// <c>Module.load</c> because that one must know in advance which tensors to skip and cannot
/// skip a tensor whose shape differs from the model's, which is the whole point of a new head.
/// </summary>
internal static class TorchSharpFile
{
    /// <summary>Name → CPU tensor, in file order. The caller disposes the tensors.</summary>
    public static List<(string Name, Tensor Tensor)> Read(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var entries = new List<(string, Tensor)>();
        try
        {
            long count = Decode(reader);
            if (count is < 0 or > StateDictLimits.MaxTensors)
            {
                throw new InvalidDataException($"it claims {count} tensors");
            }
            for (long i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var dtype = (ScalarType)Decode(reader);
                long rank = Decode(reader);
                if (rank > StateDictLimits.MaxRank)
                {
                    throw new InvalidDataException($"tensor '{name}' has rank {rank} (at most {StateDictLimits.MaxRank})");
                }
                var shape = new long[rank];
                for (int d = 0; d < shape.Length; d++)
                {
                    shape[d] = Decode(reader);
                }
                int elementSize = StateDictLimits.ElementSize(dtype)
                    ?? throw new InvalidDataException($"tensor '{name}' has unknown dtype {(int)dtype}");
                // Checked against the bytes left before allocating: a forged shape must not reach libtorch.
                long bytes = StateDictLimits.Elements(shape, name) * elementSize;
                if (bytes > stream.Length - stream.Position)
                {
                    throw new InvalidDataException($"tensor '{name}' runs past the end of the file");
                }
                var tensor = empty(shape, dtype);
                entries.Add((name, tensor));
                tensor.bytes = reader.ReadBytes(checked((int)bytes));
            }
            return entries;
        }
        catch
        {
            entries.ForEach(e => e.Item2.Dispose());
            throw;
        }
    }

    private static long Decode(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new InvalidDataException("a LEB128 number longer than 64 bits");
    }
}
