using PureHDF;

namespace WebTrainer.Worker.Optimizing;

/// <summary>
/// Values of datasets other than images (labels, ids, names) and of attributes, read whole in their
/// stored type so that PureHDF writes them back with the same dtype and shape.
/// </summary>
internal static class ObjectCopy
{
    /// <summary>Largest non-image dataset copied; they are read whole (labels of 70,700 rows are 7 MB).</summary>
    public const long MaxValueBytes = 512L * 1024 * 1024;

    /// <summary>The dataset's values as a typed array, or null with the reason when the type is not one this copies.</summary>
    public static (Array? Values, string? Problem) ReadValues(IH5Dataset dataset)
    {
        ulong count = dataset.Space.Dimensions.Aggregate(1UL, (a, b) => a * b);
        if (count * (ulong)Math.Max(1, dataset.Type.Size) > MaxValueBytes)
        {
            return (null, $"holds {count * (ulong)dataset.Type.Size} bytes of {dataset.Type.Class} values; only image datasets and others up to {MaxValueBytes} bytes are copied");
        }
        var values = Read(dataset.Type, () => dataset.Read<byte[]>(), () => dataset.Read<sbyte[]>(), () => dataset.Read<ushort[]>(),
            () => dataset.Read<short[]>(), () => dataset.Read<uint[]>(), () => dataset.Read<int[]>(), () => dataset.Read<ulong[]>(),
            () => dataset.Read<long[]>(), () => dataset.Read<Half[]>(), () => dataset.Read<float[]>(), () => dataset.Read<double[]>(),
            () => dataset.Read<string[]>());
        return values is null ? (null, $"has type {dataset.Type.Class} of {dataset.Type.Size} bytes, which is not copied") : (values, null);
    }

    /// <summary>Copies the attributes that have a plain type (numbers, strings); returns the names of those skipped.</summary>
    public static List<string> CopyAttributes(IH5Object source, H5Object target)
    {
        var skipped = new List<string>();
        foreach (var attribute in source.Attributes())
        {
            bool scalar = attribute.Space.Dimensions.Length == 0;
            var values = Read(attribute.Type, () => attribute.Read<byte[]>(), () => attribute.Read<sbyte[]>(), () => attribute.Read<ushort[]>(),
                () => attribute.Read<short[]>(), () => attribute.Read<uint[]>(), () => attribute.Read<int[]>(), () => attribute.Read<ulong[]>(),
                () => attribute.Read<long[]>(), () => attribute.Read<Half[]>(), () => attribute.Read<float[]>(), () => attribute.Read<double[]>(),
                () => attribute.Read<string[]>());
            if (values is null)
            {
                skipped.Add(attribute.Name);
                continue;
            }
            target.Attributes[attribute.Name] = scalar && values.Length == 1 ? values.GetValue(0)! : values;
        }
        return skipped;
    }

    private static Array? Read(IH5DataType type, Func<byte[]> u8, Func<sbyte[]> i8, Func<ushort[]> u16, Func<short[]> i16,
        Func<uint[]> u32, Func<int[]> i32, Func<ulong[]> u64, Func<long[]> i64, Func<Half[]> f16, Func<float[]> f32, Func<double[]> f64,
        Func<string[]> text)
    {
        bool signed = type.Class == H5DataTypeClass.FixedPoint && type.FixedPoint.IsSigned;
        try
        {
            return ReadTyped(type, signed, u8, i8, u16, i16, u32, i32, u64, i64, f16, f32, f64, text);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Variable-length data that is not text, and the like: reported as not copied.
            return null;
        }
    }

    private static Array? ReadTyped(IH5DataType type, bool signed, Func<byte[]> u8, Func<sbyte[]> i8, Func<ushort[]> u16, Func<short[]> i16,
        Func<uint[]> u32, Func<int[]> i32, Func<ulong[]> u64, Func<long[]> i64, Func<Half[]> f16, Func<float[]> f32, Func<double[]> f64,
        Func<string[]> text)
    {
        return (type.Class, type.Size, signed) switch
        {
            (H5DataTypeClass.FixedPoint, 1, false) => u8(),
            (H5DataTypeClass.FixedPoint, 1, true) => i8(),
            (H5DataTypeClass.FixedPoint, 2, false) => u16(),
            (H5DataTypeClass.FixedPoint, 2, true) => i16(),
            (H5DataTypeClass.FixedPoint, 4, false) => u32(),
            (H5DataTypeClass.FixedPoint, 4, true) => i32(),
            (H5DataTypeClass.FixedPoint, 8, false) => u64(),
            (H5DataTypeClass.FixedPoint, 8, true) => i64(),
            (H5DataTypeClass.FloatingPoint, 2, _) => f16(),
            (H5DataTypeClass.FloatingPoint, 4, _) => f32(),
            (H5DataTypeClass.FloatingPoint, 8, _) => f64(),
            // Fixed-length strings, and variable-length ones (h5py's and PureHDF's default).
            (H5DataTypeClass.String or H5DataTypeClass.VariableLength, _, _) => text(),
            _ => null,
        };
    }
}
