using PureHDF;

namespace WebTrainer.Worker.Samples;

/// <summary>
/// Writes splits in the layout of the motivating Food-101 file: <c>train_img</c> N,H,W,C uint8 and
/// one-hot <c>train_labels</c> N,K, then <c>valid_*</c> and <c>test_*</c>; class names as an attribute.
/// </summary>
internal static class SplitFileWriter
{
    public static void Write(string path, IReadOnlyList<string> classNames, ImageSplit train, ImageSplit validation, ImageSplit test)
    {
        var file = new H5File();
        Add(file, "train", train, classNames);
        Add(file, "valid", validation, classNames);
        Add(file, "test", test, classNames);
        file.Attributes["class_names"] = classNames.ToArray();
        var temp = path + ".partial";
        file.Write(temp);
        File.Move(temp, path, overwrite: true);
    }

    private static void Add(H5File file, string prefix, ImageSplit split, IReadOnlyList<string> classNames)
    {
        var oneHot = new byte[split.Count * classNames.Count];
        for (int i = 0; i < split.Count; i++)
        {
            oneHot[i * classNames.Count + split.Labels[i]] = 1;
        }
        file[$"{prefix}_img"] = new H5Dataset(split.Images,
            fileDims: [(ulong)split.Count, (ulong)split.Height, (ulong)split.Width, (ulong)split.Channels]);
        file[$"{prefix}_labels"] = new H5Dataset(oneHot, fileDims: [(ulong)split.Count, (ulong)classNames.Count])
        {
            Attributes = new() { ["class_names"] = classNames.ToArray() },
        };
    }
}
