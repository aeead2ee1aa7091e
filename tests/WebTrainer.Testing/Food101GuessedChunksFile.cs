using PureHDF;
using PureHDF.Filters;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace WebTrainer.Testing;

/// <summary>
/// Food-101's <c>train_img</c> [70700,299,299,3] uint8 with the chunks h5py guesses for it when a
/// script compresses without <c>chunks=</c>: (2210,10,19,1), gzip, one image spanning 1440 chunks;
/// integer <c>train_labels</c> (101 classes). Only the labels and one pixel are written: unwritten
/// chunks read as zeros and read costs come from the metadata, so the 27 GB dataset's file is small.
/// </summary>
public static class Food101GuessedChunksFile
{
    public const int Count = 70_700;

    public static string Write(string path)
    {
        var images = new H5Dataset<byte[]>(fileDims: [Count, 299, 299, 3], chunks: [2210, 10, 19, 1],
            datasetCreation: new H5DatasetCreation { Filters = [new H5Filter(1, null!)] });
        var labels = new H5Dataset(Enumerable.Range(0, Count).Select(i => (long)(i % 101)).ToArray(), fileDims: [Count]);
        using (var writer = new H5File { ["train_img"] = images, ["train_labels"] = labels }.BeginWrite(path))
        {
            writer.Write(images, new byte[1], fileSelection: new HyperslabSelection(4, [0, 0, 0, 0], [1, 1, 1, 1]));
        }
        return path;
    }
}
