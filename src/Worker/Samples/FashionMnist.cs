using System.Buffers.Binary;
using System.IO.Compression;

namespace WebTrainer.Worker.Samples;

/// <summary>Reads Fashion-MNIST's idx files (as Debian's <c>dataset-fashion-mnist</c> ships them, gzip'd).</summary>
internal static class FashionMnist
{
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    public static readonly IReadOnlyList<string> ClassNames =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>The 60,000 training and 10,000 test images together: 70,000 grey 28×28 images.</summary>
    public static ImageSplit ReadAll(string folder)
    {
        var train = Read(Path.Combine(folder, "train-images-idx3-ubyte.gz"), Path.Combine(folder, "train-labels-idx1-ubyte.gz"));
        var test = Read(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
        return new ImageSplit([.. train.Images, .. test.Images], [.. train.Labels, .. test.Labels], 28, 28, 1);
    }

    private static ImageSplit Read(string imagesPath, string labelsPath)
    {
        var images = Decompress(imagesPath);
        var labels = Decompress(labelsPath);
        if (BinaryPrimitives.ReadInt32BigEndian(images) != 0x0803 || BinaryPrimitives.ReadInt32BigEndian(labels) != 0x0801)
        {
            throw new InvalidDataException($"{imagesPath} or {labelsPath} is not an idx file of images and labels");
        }
        int count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        if (BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4)) != count)
        {
            throw new InvalidDataException($"{labelsPath} holds a different number of labels than {imagesPath} has images");
        }
        var pixels = images.AsSpan(16, count * rows * columns).ToArray();
        var classes = Array.ConvertAll(labels.AsSpan(8, count).ToArray(), b => (int)b);
        return new ImageSplit(pixels, classes, rows, columns, 1);
    }

    private static byte[] Decompress(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
