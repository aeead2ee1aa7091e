using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;
using WebTrainer.Shared.Datasets;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Optimizing;

/// <summary>An image dataset of the input and the dataset of the output its rows go to.</summary>
internal sealed record ImageCopy(string Path, ImageDataset Source, H5Dataset Target);

/// <summary>
/// The output file as PureHDF is to write it: every group, dataset and attribute of the input, in
/// its order. Image datasets are declared without data (written later, row block by row block, in
/// the requested layout); every other dataset is read whole and copied as it is.
/// </summary>
internal sealed class OutputTree
{
    private readonly List<ImageCopy> _images = [];
    private readonly List<string> _notes = [];
    private readonly string _input;
    private readonly string _layout;
    private readonly int? _deflateLevel;

    private OutputTree(string input, string layout, int? deflateLevel)
    {
        _input = input;
        _layout = layout;
        _deflateLevel = deflateLevel;
    }

    public H5File File { get; } = new();

    public IReadOnlyList<ImageCopy> Images => _images;

    /// <summary>What was not copied as it was, for the job log.</summary>
    public IReadOnlyList<string> Notes => _notes;

    public long TotalRows => _images.Sum(i => i.Source.Count);

    public static OutputTree Build(string input, string layout, int? deflateLevel)
    {
        var tree = new OutputTree(input, layout, deflateLevel);
        using var h5 = Hdf5Files.Open(input);
        tree.Walk(h5, tree.File, "");
        return tree;
    }

    private void Walk(IH5Group source, H5Group target, string prefix)
    {
        Note(prefix.Length == 0 ? "the file" : prefix, ObjectCopy.CopyAttributes(source, target));
        foreach (var child in source.Children())
        {
            var path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
            switch (child)
            {
                case IH5Dataset dataset:
                    target[child.Name] = Dataset(dataset, path);
                    break;
                case IH5Group group:
                    var copy = new H5Group();
                    target[child.Name] = copy;
                    Walk(group, copy, path);
                    break;
                default:
                    _notes.Add($"{path}: not a group or dataset, not copied");
                    break;
            }
        }
    }

    private H5Dataset Dataset(IH5Dataset dataset, string path)
    {
        H5Dataset copy;
        if (TryImage(path) is { } image)
        {
            copy = ImageTarget(image, path);
            _images.Add(new ImageCopy(path, image, copy));
        }
        else
        {
            var (values, problem) = ObjectCopy.ReadValues(dataset);
            if (values is null)
            {
                throw new DatasetProblemException(_input, path, $"cannot be copied: it {problem}");
            }
            var dims = dataset.Space.Dimensions;
            copy = dims.Length == 0 ? new H5Dataset(values.GetValue(0)!) : new H5Dataset(values, fileDims: dims);
        }
        Note(path, ObjectCopy.CopyAttributes(dataset, copy));
        return copy;
    }

    private ImageDataset? TryImage(string path)
    {
        try
        {
            return ImageDataset.Open(_input, path);
        }
        catch (DatasetProblemException)
        {
            return null;
        }
    }

    private H5Dataset ImageTarget(ImageDataset image, string path)
    {
        var shape = image.Shape.ToArray();
        uint[]? chunks = null;
        var creation = default(H5DatasetCreation);
        if (_layout == OptimizeLayouts.Chunked && image.Count == 1)
        {
            // One chunk in all would get PureHDF's single-chunk index, placed only when written; contiguous is the same bytes.
            _notes.Add($"{path}: holds one image, stored contiguous and uncompressed");
        }
        else if (_layout == OptimizeLayouts.Chunked)
        {
            chunks = [1, .. shape.Skip(1).Select(d => (uint)d)];
            if (_deflateLevel is { } level)
            {
                creation = new H5DatasetCreation(Filters: [new H5Filter(DeflateFilter.Id, new() { [LevelledDeflateFilter.LevelOption] = level })]);
            }
        }
        return image.PixelType switch
        {
            PixelType.UInt8 => new H5Dataset<byte[]>(shape, chunks, creation),
            PixelType.Float16 => new H5Dataset<Half[]>(shape, chunks, creation),
            _ => new H5Dataset<float[]>(shape, chunks, creation),
        };
    }

    private void Note(string owner, List<string> skippedAttributes)
    {
        if (skippedAttributes.Count > 0)
        {
            _notes.Add($"{owner}: attributes of an uncommon type not copied: {string.Join(", ", skippedAttributes)}");
        }
    }
}
