using PureHDF;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>An opened image dataset: its geometry and a thread-safe reader of whole rows.</summary>
internal sealed class ImageDataset : IDisposable
{
    private readonly IRowReader _reader;

    private ImageDataset(string file, string path, ulong[] shape, ImageLayout layout, PixelType pixelType, IRowReader reader)
    {
        File = file;
        Path = path;
        Shape = shape;
        Layout = layout;
        PixelType = pixelType;
        _reader = reader;
        Count = (long)shape[0];
        (Channels, Height, Width) = Geometry(shape, layout);
        RowBytes = (long)Channels * Height * Width * BytesPerValue;
    }

    public string File { get; }
    public string Path { get; }
    public IReadOnlyList<ulong> Shape { get; }
    public ImageLayout Layout { get; }
    public PixelType PixelType { get; }
    public long Count { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public long RowBytes { get; }
    public int BytesPerValue => PixelType switch { PixelType.UInt8 => 1, PixelType.Float16 => 2, _ => 4 };

    public static ImageDataset Open(string file, string path)
    {
        using var h5 = Hdf5Files.Open(file);
        var dataset = Hdf5Files.Dataset(h5, file, path);
        var shape = dataset.Space.Dimensions;
        var pixelType = ImageGeometry.PixelTypeOf(dataset.Type) ??
            throw new DatasetProblemException(file, path, $"unsupported image dtype {Hdf5Describe.DType(dataset.Type)}; use uint8, float16 or float32");
        var layout = ImageGeometry.LayoutOf(shape) ??
            throw new DatasetProblemException(file, path, $"shape [{string.Join(",", shape)}] is not an image batch (N,H,W,C or N,C,H,W with 1, 3 or 4 channels, or N,H,W)");
        if (shape[0] == 0)
        {
            throw new DatasetProblemException(file, path, "holds no images");
        }
        var rowBytes = (long)(shape.Aggregate(1UL, (a, b) => a * b) / shape[0]) * (pixelType == PixelType.UInt8 ? 1 : pixelType == PixelType.Float16 ? 2 : 4);
        var address = dataset.Layout.Class == H5DataLayoutClass.Contiguous ? PureHdfInternals.ContiguousAddress(dataset) : null;
        if (address is not null)
        {
            var end = (long)address.Value + rowBytes * (long)shape[0];
            var length = new FileInfo(file).Length;
            if (end > length)
            {
                throw new DatasetProblemException(file, path, $"needs bytes up to {end} but the file has {length}: the file is truncated");
            }
        }
        IRowReader reader = address is { } raw
            ? new ContiguousRowReader(file, raw, rowBytes)
            : new PureHdfRowReader(file, path, shape, pixelType);
        return new ImageDataset(file, path, shape, layout, pixelType, reader);
    }

    /// <summary>
    /// Reads the given rows, which must be sorted ascending, into <paramref name="destination"/> in
    /// that order. Consecutive rows are merged into one read.
    /// </summary>
    public void ReadRows(ReadOnlySpan<long> sortedRows, Span<byte> destination)
    {
        int i = 0;
        while (i < sortedRows.Length)
        {
            int run = 1;
            while (i + run < sortedRows.Length && sortedRows[i + run] == sortedRows[i] + run)
            {
                run++;
            }
            _reader.ReadRun(sortedRows[i], run, destination.Slice((int)(i * RowBytes), (int)(run * RowBytes)));
            i += run;
        }
    }

    public void Dispose() => _reader.Dispose();

    private static (int C, int H, int W) Geometry(ulong[] shape, ImageLayout layout) => shape.Length switch
    {
        3 => (1, (int)shape[1], (int)shape[2]),
        4 when layout == ImageLayout.Nhwc => ((int)shape[3], (int)shape[1], (int)shape[2]),
        4 => ((int)shape[1], (int)shape[2], (int)shape[3]),
        _ => throw new InvalidOperationException("unreachable: layout was checked"),
    };
}
