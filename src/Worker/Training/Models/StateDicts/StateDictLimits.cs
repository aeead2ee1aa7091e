using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models.StateDicts;

/// <summary>
/// What a weights file from a user may declare before anything is allocated. The largest model
/// here (InceptionV3) has about 580 tensors and 110 MB; the limits leave room for far larger
/// backbones and still refuse a forged header that would ask libtorch for terabytes.
/// </summary>
internal static class StateDictLimits
{
    public const int MaxTensors = 100_000;
    public const int MaxRank = 8;
    public const long MaxTotalBytes = 8L << 30;

    /// <summary>The pickle of a state dict holds names and shapes only: ~100 bytes per tensor.</summary>
    public const long MaxPickleBytes = 64L << 20;

    /// <summary>The safetensors reference implementation refuses headers over 100 MB too.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Bytes of one element, or null for a dtype that cannot be a model weight here.</summary>
    public static int? ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => null,
    };

    /// <summary>Elements of a shape, or a description of what is wrong with it.</summary>
    public static long Elements(IReadOnlyList<long> shape, string name)
    {
        if (shape.Count > MaxRank)
        {
            throw new InvalidDataException($"tensor '{name}' has rank {shape.Count} (at most {MaxRank})");
        }
        long elements = 1;
        foreach (long dim in shape)
        {
            if (dim < 0)
            {
                throw new InvalidDataException($"tensor '{name}' has a negative dimension {dim}");
            }
            elements = dim == 0 ? 0 : elements > MaxTotalBytes / dim ? MaxTotalBytes + 1 : elements * dim;
        }
        if (elements > MaxTotalBytes)
        {
            throw new InvalidDataException($"tensor '{name}' declares [{string.Join(",", shape)}], more than {MaxTotalBytes >> 30} GiB");
        }
        return elements;
    }
}
