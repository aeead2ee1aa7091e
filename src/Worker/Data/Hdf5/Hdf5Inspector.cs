using PureHDF;
using WebTrainer.Shared.Datasets;
using WebTrainer.Worker.Data.Sampling;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// Describes every dataset of an HDF5 file — storage, role, label checks, class counts — and
/// suggests split pairs, for the API, the submit form and the Worker. Reads labels whole (they are
/// small) but never image pixels. A file that cannot be opened at all throws
/// <see cref="DatasetProblemException"/>; problems with single datasets are listed instead.
/// </summary>
public static class Hdf5Inspector
{
    /// <summary>Label datasets larger than this many values are described but not checked.</summary>
    private const long MaxLabelValues = 200_000_000;

    public static DatasetFileSummary Inspect(string path, CancellationToken cancellationToken)
    {
        using var h5 = Hdf5Files.Open(path);
        var fileClassNames = ClassNames(h5);
        var datasets = new List<DatasetSummary>();
        var problems = new List<DatasetProblem>();
        try
        {
            Walk(h5, "", path, fileClassNames, datasets, problems, cancellationToken);
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

    private static void Walk(IH5Group group, string prefix, string file, IReadOnlyList<string>? fileClassNames,
        List<DatasetSummary> datasets, List<DatasetProblem> problems, CancellationToken cancellationToken)
    {
        foreach (var child in group.Children())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
            switch (child)
            {
                case IH5Group subgroup:
                    Walk(subgroup, path, file, fileClassNames, datasets, problems, cancellationToken);
                    break;
                case IH5Dataset dataset:
                    try
                    {
                        datasets.Add(Describe(file, path, dataset, fileClassNames));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        problems.Add(new DatasetProblem(file, path, ex is DatasetProblemException p ? p.Problem : $"cannot be described ({ex.Message})"));
                    }
                    break;
            }
        }
    }

    private static DatasetSummary Describe(string file, string path, IH5Dataset dataset, IReadOnlyList<string>? fileClassNames)
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
            return summary with { Role = DatasetRoles.Labels, Labels = Labels(file, path, dataset, shape, fileClassNames) };
        }
        return summary;
    }

    private static LabelSummary Labels(string file, string path, IH5Dataset dataset, ulong[] shape, IReadOnlyList<string>? fileClassNames)
    {
        bool oneHot = shape.Length == 2 && shape[1] > 1;
        var names = ClassNames(dataset) ?? fileClassNames;
        var summary = new LabelSummary
        {
            Encoding = oneHot ? "one-hot" : "integer",
            Count = (long)shape[0],
            ClassCount = oneHot ? (int)shape[1] : 0,
            ClassNames = names,
        };
        if (shape.Aggregate(1UL, (a, b) => a * b) > MaxLabelValues)
        {
            return summary with { Problem = "too large to check as labels" };
        }
        try
        {
            var labels = LabelDataset.Read(file, path);
            var counts = new long[labels.ClassCount];
            foreach (var label in labels.Classes)
            {
                counts[label]++;
            }
            return summary with { ClassCount = labels.ClassCount, CountsPerClass = counts };
        }
        catch (DatasetProblemException ex)
        {
            return summary with { Problem = ex.Problem };
        }
    }

    private static IReadOnlyList<string>? ClassNames(IH5Object owner)
    {
        try
        {
            return owner.AttributeExists("class_names") ? owner.Attribute("class_names").Read<string[]>() : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null; // a class_names attribute of another type is not ours to interpret
        }
    }
}
