using PureHDF;
using WebTrainer.Shared.Datasets;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Describes every dataset of an HDF5 file — storage, role, label checks, class counts — and
/// suggests split pairs, for the API, the submit form and the Worker. Reads labels in blocks (class
/// counts only, within <see cref="Hdf5Limits"/>) but never image pixels. The group walk visits each
/// object once (a link back up the tree is a noted cycle, not a recursion), stops at the depth and object
/// limits, and does not follow links out of the file. A file that cannot be opened at all throws
/// <see cref="DatasetProblemException"/>; problems with single datasets are listed instead.
/// </summary>
public static class Hdf5Inspector
{
    /// <param name="limits">What the file may declare; <see cref="Hdf5Limits.Current"/> when null.</param>
    public static DatasetFileSummary Inspect(string path, CancellationToken cancellationToken, Hdf5Limits? limits = null)
    {
        limits ??= Hdf5Limits.Current;
        using var h5 = Hdf5Files.Open(path);
        var fileClassNames = ClassNames(h5, limits);
        var datasets = new List<DatasetSummary>();
        var problems = new List<DatasetProblem>();
        try
        {
            var walk = new GroupWalk(h5, path, limits, problems);
            walk.Enter(h5, "/");
            Walk(walk, h5, "", 1, fileClassNames, datasets, cancellationToken);
        }
        catch (Exception ex) when (ex is not (DatasetProblemException or OperationCanceledException))
        {
            throw new DatasetProblemException(path, null, $"the group structure cannot be read ({ex.Message})", ex);
        }
        return new DatasetFileSummary
        {
            File = path,
            SizeBytes = new FileInfo(path).Length,
            Datasets = datasets,
            SuggestedSplits = SplitPairing.Suggest(datasets),
            ClassNames = fileClassNames,
            Problems = problems,
        };
    }

    private static void Walk(GroupWalk walk, IH5Group group, string prefix, int depth, IReadOnlyList<string>? fileClassNames,
        List<DatasetSummary> datasets, CancellationToken cancellationToken)
    {
        string file = walk.File;
        var problems = walk.Problems;
        foreach (var child in walk.Children(group, prefix))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
            if (!walk.Enter(child, path))
            {
                continue;
            }
            switch (child)
            {
                case IH5Group subgroup when walk.Descend(path, depth):
                    Walk(walk, subgroup, path, depth + 1, fileClassNames, datasets, cancellationToken);
                    break;
                case IH5Dataset dataset:
                    try
                    {
                        datasets.Add(Describe(file, path, dataset, fileClassNames, walk.Limits, cancellationToken));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        problems.Add(new DatasetProblem(file, path, ex is DatasetProblemException p ? p.Problem : $"cannot be described ({ex.Message})"));
                    }
                    break;
            }
        }
    }

    private static DatasetSummary Describe(string file, string path, IH5Dataset dataset, IReadOnlyList<string>? fileClassNames,
        Hdf5Limits limits, CancellationToken cancellationToken)
    {
        var shape = dataset.Space.Dimensions;
        var storage = PureHdfInternals.Layout(dataset);
        var summary = new DatasetSummary
        {
            Path = path,
            Shape = shape.Select(d => (long)d).ToList(),
            DType = Hdf5Describe.DType(dataset.Type),
            Layout = storage?.Class ?? dataset.Layout.Class.ToString().ToLowerInvariant(),
            ChunkShape = storage?.ChunkDims?.Select(d => (long)d).ToList(),
            Filters = storage?.Filters.Select(f => f.Name).ToList() ?? [],
        };
        var pixelType = ImageGeometry.PixelTypeOf(dataset.Type);
        var layout = ImageGeometry.LayoutOf(shape);
        if (shape.Length >= 3 && pixelType is not null && layout is not null)
        {
            bool grey = shape.Length == 3, nhwc = layout == ImageLayout.Nhwc;
            DeclaredSizes.CheckImages(file, path, shape, nhwc, (long)dataset.Type.Size, limits);
            if (storage is not null)
            {
                RawRowReaders.CheckChunks(file, path, storage, shape, (int)dataset.Type.Size, limits);
            }
            var costs = ReadCostModel.Estimate(shape, storage, pixelType.Value switch { PixelType.UInt8 => 1, PixelType.Float16 => 2, _ => 4 });
            return summary with
            {
                Role = DatasetRoles.Images,
                Images = new ImageSummary
                {
                    Layout = grey ? "NHW" : nhwc ? "NHWC" : "NCHW",
                    Count = (long)shape[0],
                    Channels = grey ? 1 : (int)(nhwc ? shape[3] : shape[1]),
                    Height = (int)(nhwc ? shape[1] : shape[2]),
                    Width = (int)(nhwc ? shape[2] : shape[3]),
                    PixelType = pixelType.Value.ToString().ToLowerInvariant(),
                    ImageBytes = costs.ImageBytes,
                    ReadCosts = costs.Modes,
                    AutoSampling = costs.Auto,
                    ReadWarning = costs.Warning(path),
                },
            };
        }
        bool numeric = dataset.Type.Class is H5DataTypeClass.FixedPoint or H5DataTypeClass.FloatingPoint;
        if (numeric && shape.Length is 1 or 2 && shape[0] > 0)
        {
            return summary with { Role = DatasetRoles.Labels, Labels = Labels(file, path, dataset, shape, fileClassNames, limits, cancellationToken) };
        }
        return summary;
    }

    private static LabelSummary Labels(string file, string path, IH5Dataset dataset, ulong[] shape, IReadOnlyList<string>? fileClassNames,
        Hdf5Limits limits, CancellationToken cancellationToken)
    {
        bool oneHot = shape.Length == 2 && shape[1] > 1;
        var names = ClassNames(dataset, limits) ?? fileClassNames;
        var summary = new LabelSummary
        {
            Encoding = oneHot ? "one-hot" : "integer",
            Count = (long)shape[0],
            ClassCount = oneHot ? (int)Math.Min(shape[1], int.MaxValue) : 0,
            ClassNames = names,
        };
        try
        {
            DeclaredSizes.CheckLabels(file, path, shape, (long)dataset.Type.Size, limits);
            var counts = LabelDataset.CountPerClass(file, path, limits, cancellationToken);
            return summary with { ClassCount = counts.Length, CountsPerClass = counts };
        }
        catch (DatasetProblemException ex)
        {
            return summary with { Problem = ex.Problem };
        }
    }

    private static IReadOnlyList<string>? ClassNames(IH5Object owner, Hdf5Limits limits)
    {
        try
        {
            if (!owner.AttributeExists("class_names"))
            {
                return null;
            }
            var attribute = owner.Attribute("class_names");
            // Variable-length strings declare their references here, fixed-length ones their whole bytes.
            if (DeclaredSizes.Product(attribute.Space.Dimensions, Math.Max(attribute.Type.Size, 1)) > limits.MaxAttributeBytes)
            {
                return null;
            }
            return attribute.Read<string[]>();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null; // a class_names attribute of another type is not ours to interpret
        }
    }
}
