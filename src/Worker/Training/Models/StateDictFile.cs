using System.Text;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// Reads a state dict in TorchSharp's format, as written by <c>Module.save</c> and by TorchSharp's
/// <c>exportsd.py</c>: LEB128 count, then per entry a length-prefixed UTF-8 name, LEB128 dtype,
/// LEB128 rank, LEB128 dims and the raw little-endian elements. Read here rather than through
/// <c>Module.load</c> because that one must know in advance which tensors to skip and cannot
/// skip a tensor whose shape differs from the model's, which is the whole point of a new head.
/// </summary>
internal static class StateDictFile
{
    private const long MaxEntries = 1_000_000;

    /// <summary>Name → CPU tensor, in file order. The caller disposes the tensors.</summary>
    public static List<(string Name, Tensor Tensor)> Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var entries = new List<(string, Tensor)>();
        try
        {
            long count = Decode(reader);
            if (count is < 0 or > MaxEntries)
            {
                throw NotWeights(path, $"it claims {count} tensors");
            }
            for (long i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var dtype = (ScalarType)Decode(reader);
                var shape = new long[Decode(reader)];
                for (int d = 0; d < shape.Length; d++)
                {
                    shape[d] = Decode(reader);
                }
                var tensor = empty(shape, dtype);
                entries.Add((name, tensor));
                long bytes = tensor.NumberOfElements * tensor.ElementSize;
                if (bytes > stream.Length - stream.Position)
                {
                    throw NotWeights(path, $"tensor '{name}' runs past the end of the file");
                }
                tensor.bytes = reader.ReadBytes(checked((int)bytes));
            }
            return entries;
        }
        catch (Exception ex) when (ex is EndOfStreamException or DecoderFallbackException or ArgumentException or OverflowException)
        {
            entries.ForEach(e => e.Item2.Dispose());
            throw NotWeights(path, ex.Message);
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
        throw new OverflowException("a LEB128 number longer than 64 bits");
    }

    private static InvalidOperationException NotWeights(string path, string why) =>
        new($"{Path.GetFileName(path)} is not a TorchSharp weights file ({why}); see docs/pretrained-weights.md for how to export one");
}
