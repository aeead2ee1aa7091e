using PureHDF;
using PureHDF.VOL.Native;

namespace WebTrainer.Testing;

/// <summary>
/// A small file laid out like h5py's guessed chunks for a compressed image dataset: each chunk spans
/// many images along the first axis but only a few pixels of height and width and one channel
/// (edge chunks partial), gzip; labels one-hot and as integers, class names on the file and labels.
/// </summary>
public static class BadChunksFile
{
    public static readonly string[] ClassNames = ["zero", "one", "two", "three"];

    /// <param name="rowsPerChunk">Images a chunk spans along the first axis.</param>
    public static string Write(string path, int trainCount = 400, int size = 16, int rowsPerChunk = 16)
    {
        int validCount = trainCount / 4, testCount = trainCount / 4;
        var file = new H5File
        {
            ["train_img"] = Images(trainCount, size, rowsPerChunk, seed: 1),
            ["train_labels"] = OneHot(trainCount),
            ["valid_img"] = Images(validCount, size, rowsPerChunk, seed: 3),
            ["valid_labels"] = Integers(validCount),
            ["test_img"] = Images(testCount, size, rowsPerChunk, seed: 5),
            ["test_labels"] = Integers(testCount),
        };
        file.Attributes["class_names"] = ClassNames;
        file.Write(path);
        return path;
    }

    private static H5Dataset Images(int count, int size, int rowsPerChunk, int seed)
    {
        var pixels = new byte[(long)count * size * size * 3];
        var random = new Random(seed);
        // Image i is mostly class i mod 4's colour channel, so training learns something.
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(pixels.AsSpan(i * size * size * 3, size * size * 3));
            for (int p = 0; p < size * size; p++)
            {
                int channel = (i % ClassNames.Length) % 3;
                pixels[(long)i * size * size * 3 + p * 3 + channel] |= 0xC0;
            }
        }
        uint rows = (uint)Math.Min(rowsPerChunk, count);
        return new H5Dataset(pixels, fileDims: [(ulong)count, (ulong)size, (ulong)size, 3], chunks: [rows, 4, 5, 1],
            datasetCreation: new H5DatasetCreation { Filters = [new PureHDF.Filters.H5Filter(1, null!)] });
    }

    private static H5Dataset OneHot(int count)
    {
        var oneHot = new byte[count * ClassNames.Length];
        for (int i = 0; i < count; i++)
        {
            oneHot[i * ClassNames.Length + i % ClassNames.Length] = 1;
        }
        return new H5Dataset(oneHot, fileDims: [(ulong)count, (ulong)ClassNames.Length])
        {
            Attributes = new() { ["class_names"] = ClassNames },
        };
    }

    private static H5Dataset Integers(int count) =>
        new(Enumerable.Range(0, count).Select(i => (long)(i % ClassNames.Length)).ToArray(), fileDims: [(ulong)count]);
}
