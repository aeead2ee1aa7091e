using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models.StateDicts;

/// <summary>
/// Reads a safetensors file (8-byte little-endian header length, a JSON header of
/// <c>name → {dtype, shape, data_offsets}</c>, then the bytes) through PyBridge, after checking
/// the header here: PyBridge allocates every declared shape before it looks at the offsets.
/// </summary>
internal static class SafetensorsFile
{
    private static readonly Dictionary<string, int> ElementSizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Whether the first bytes of a file look like a safetensors header.</summary>
    public static bool LooksLike(ReadOnlySpan<byte> head, long fileLength) =>
        head.Length >= 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) is var n && n >= 2 && n <= (ulong)(fileLength - 8);

    public static List<(string Name, Tensor Tensor)> Read(Stream stream)
    {
        CheckHeader(stream);
        stream.Position = 0;
        var loaded = Safetensors.LoadStateDict(stream, leaveOpen: true);
        return loaded.Select(e => (e.Key, e.Value)).ToList();
    }

    private static void CheckHeader(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length > StateDictLimits.MaxHeaderBytes || length > (ulong)(stream.Length - 8))
        {
            throw new InvalidDataException($"its header claims {length} bytes");
        }
        var header = new byte[length];
        stream.ReadExactly(header);
        long dataBytes = stream.Length - 8 - (long)length;
        using var json = JsonDocument.Parse(header);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("its header is not a JSON object");
        }
        int count = 0;
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }
            if (++count > StateDictLimits.MaxTensors)
            {
                throw new InvalidDataException($"it declares more than {StateDictLimits.MaxTensors} tensors");
            }
            CheckTensor(entry, dataBytes);
        }
    }

    private static void CheckTensor(JsonProperty entry, long dataBytes)
    {
        var name = entry.Name;
        if (entry.Value.ValueKind != JsonValueKind.Object
            || !entry.Value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !entry.Value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !entry.Value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"tensor '{name}' lacks dtype, shape or data_offsets");
        }
        if (!ElementSizes.TryGetValue(dtype.GetString()!, out int elementSize))
        {
            throw new InvalidDataException($"tensor '{name}' has unsupported dtype {dtype.GetString()}");
        }
        var dims = shape.EnumerateArray().Select(d => Integer(d, name)).ToArray();
        long bytes = StateDictLimits.Elements(dims, name) * elementSize;
        long begin = Integer(offsets[0], name), end = Integer(offsets[1], name);
        if (begin < 0 || end < begin || end > dataBytes || end - begin != bytes)
        {
            throw new InvalidDataException(
                $"tensor '{name}' [{string.Join(",", dims)}] {dtype.GetString()} has data_offsets [{begin},{end}] in {dataBytes} bytes of data");
        }
    }

    private static long Integer(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long value)
            ? value
            : throw new InvalidDataException($"tensor '{name}' has {element.GetRawText()} where its shape or data_offsets need an integer");
}
