using PureHDF;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>How a dataset's shape and type are read as a batch of images.</summary>
internal static class ImageGeometry
{
    public static ImageLayout? LayoutOf(IReadOnlyList<ulong> shape)
    {
        static bool IsChannels(ulong d) => d is 1 or 3 or 4;
        return shape.Count switch
        {
            3 when shape[1] > 1 && shape[2] > 1 => ImageLayout.Nhwc,
            4 when IsChannels(shape[3]) && shape[1] > 4 && shape[2] > 4 => ImageLayout.Nhwc,
            4 when IsChannels(shape[1]) && shape[2] > 4 && shape[3] > 4 => ImageLayout.Nchw,
            _ => null,
        };
    }

    public static PixelType? PixelTypeOf(IH5DataType type) => (type.Class, type.Size) switch
    {
        (H5DataTypeClass.FixedPoint, 1) when !type.FixedPoint.IsSigned => PixelType.UInt8,
        (H5DataTypeClass.FloatingPoint, 2) => PixelType.Float16,
        (H5DataTypeClass.FloatingPoint, 4) => PixelType.Float32,
        _ => null,
    };
}
