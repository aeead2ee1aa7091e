using System.Text.Json;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models.StateDicts;

/// <summary>
/// Reads a state dict from any weights file a user may bring, telling the format by its content,
/// not its name: a zip is PyTorch's <c>torch.save</c>, a bare pickle is PyTorch's legacy format,
/// a length-prefixed JSON header is safetensors, anything else is TorchSharp's own format.
/// Every reader checks what the file declares against its size and <see cref="StateDictLimits"/>
/// before it allocates; a file that fails is an <see cref="InvalidOperationException"/> naming it.
/// </summary>
internal static class WeightsFile
{
    public static WeightsFormat Detect(Stream stream)
    {
        Span<byte> head = stackalloc byte[16];
        stream.Position = 0;
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        head = head[..read];
        return head switch
        {
            [0x50, 0x4B, 0x03, 0x04, ..] => WeightsFormat.PyTorch,
            [0x80, >= 2 and <= 5, ..] => WeightsFormat.PyTorchLegacy,
            _ when SafetensorsFile.LooksLike(head, stream.Length) => WeightsFormat.Safetensors,
            _ => WeightsFormat.TorchSharp,
        };
    }

    /// <summary>Name → CPU tensor. The caller disposes the tensors.</summary>
    public static List<(string Name, Tensor Tensor)> Read(string path)
    {
        using var stream = File.OpenRead(path);
        var format = Detect(stream);
        try
        {
            return format switch
            {
                WeightsFormat.PyTorch => PyTorchFile.Read(stream),
                WeightsFormat.Safetensors => SafetensorsFile.Read(stream),
                WeightsFormat.PyTorchLegacy => throw new WeightsFileException(
                    "this is PyTorch's legacy (pre-1.6) torch.save format; save it again with a current PyTorch's default torch.save(model.state_dict(), path)"),
                _ => TorchSharpFile.Read(stream),
            };
        }
        catch (WeightsFileException ex)
        {
            throw new InvalidOperationException($"{Path.GetFileName(path)}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or JsonException or FormatException
            or ArgumentException or OverflowException or OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(path)} is not a readable {Describe(format)} ({ex.Message}); see docs/pretrained-weights.md for the formats it may have", ex);
        }
    }

    private static string Describe(WeightsFormat format) => format switch
    {
        WeightsFormat.PyTorch => "PyTorch state dict (torch.save zip)",
        WeightsFormat.Safetensors => "safetensors file",
        _ => "weights file: not PyTorch (.pt), not safetensors, and not a TorchSharp weights file either",
    };
}
