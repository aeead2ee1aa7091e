using System.Buffers;
using System.Runtime.InteropServices;
using WebTrainer.Shared.Datasets;
using WebTrainer.Shared.Jobs;

namespace WebTrainer.Worker.Data.Hdf5;

/// <summary>
/// The cheap check the API runs before queueing a job: the file opens, every named dataset exists
/// and has a usable shape, dtype and filter, images and labels agree in count, labels are in range,
/// and a bounded sample of rows reads and (float images) holds no NaN or infinity. It never reads
/// all the pixels of a file.
/// </summary>
public static class DatasetValidator
{
    /// <summary>Rows read per image dataset: evenly spaced, so a damaged region is likely hit.</summary>
    public const int SampledRows = 64;

    /// <summary>Throws <see cref="DatasetProblemException"/> naming the file, dataset and first problem found.</summary>
    public static void Validate(string file, DatasetSpec spec, CancellationToken cancellationToken, Hdf5Limits? limits = null)
    {
        if (Check(file, spec, cancellationToken, limits) is [var first, ..])
        {
            throw new DatasetProblemException(first.File, first.Dataset, first.Problem);
        }
    }

    /// <summary>Every problem found (empty when the spec can be trained on).</summary>
    /// <param name="limits">What the file may declare; <see cref="Hdf5Limits.Current"/> when null.</param>
    public static IReadOnlyList<DatasetProblem> Check(string file, DatasetSpec spec, CancellationToken cancellationToken, Hdf5Limits? limits = null)
    {
        limits ??= Hdf5Limits.Current;
        var problems = new List<DatasetProblem>();
        try
        {
            using (Hdf5Files.Open(file))
            {
            }
        }
        catch (DatasetProblemException ex)
        {
            return [new DatasetProblem(file, ex.Dataset, ex.Problem)];
        }
        if (spec.SplitFractions is { } fractions)
        {
            Guard(problems, () => TrainingData.Split(2, fractions, file));
        }
        var pairs = new List<(string Name, SplitSpec Pair)> { ("train", spec.Train) };
        if (spec.SplitFractions is null && spec.Validation is { } validation)
        {
            pairs.Add(("validation", validation));
        }
        if (spec.SplitFractions is null && spec.Test is { } test)
        {
            pairs.Add(("test", test));
        }
        (int C, int H, int W)? trainShape = null;
        int? classCount = null;
        foreach (var (name, pair) in pairs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int before = problems.Count;
            var images = Open(problems, file, pair.Images, limits, cancellationToken);
            if (images is not null)
            {
                Guard(problems, () => SampleRows(images, cancellationToken));
            }
            LabelDataset? labels = null;
            Guard(problems, () => labels = LabelDataset.Read(file, pair.Labels, classCount, limits, cancellationToken));
            if (problems.Count > before || images is null || labels is null)
            {
                continue;
            }
            if (labels.Count != images.Count)
            {
                problems.Add(new DatasetProblem(file, pair.Labels, $"has {labels.Count} labels but '{pair.Images}' has {images.Count} images"));
            }
            var shape = (images.Channels, images.Height, images.Width);
            if (trainShape is { } expected && expected != shape)
            {
                problems.Add(new DatasetProblem(file, pair.Images, $"{name} images are {shape.Channels}x{shape.Height}x{shape.Width} " +
                    $"(CxHxW) but train images are {expected.C}x{expected.H}x{expected.W}"));
            }
            trainShape ??= shape;
            classCount ??= labels.ClassCount;
        }
        return problems;
    }

    private static ImageDataset? Open(List<DatasetProblem> problems, string file, string path, Hdf5Limits limits,
        CancellationToken cancellationToken)
    {
        try
        {
            return ImageDataset.Open(file, path, ImageDataset.ChunkCacheBytesPerReader, limits, cancellationToken);
        }
        catch (DatasetProblemException ex)
        {
            problems.Add(new DatasetProblem(ex.File, ex.Dataset, ex.Problem));
            return null;
        }
    }

    /// <summary>Reads a bounded, evenly spaced sample of rows; float rows are checked for NaN and infinity.</summary>
    private static void SampleRows(ImageDataset images, CancellationToken cancellationToken)
    {
        int samples = (int)Math.Min(SampledRows, images.Count);
        var buffer = ArrayPool<byte>.Shared.Rent((int)images.RowBytes);
        try
        {
            using var reader = images.OpenReader();
            for (int i = 0; i < samples; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long row = samples == 1 ? 0 : i * (images.Count - 1) / (samples - 1);
                var bytes = buffer.AsSpan(0, (int)images.RowBytes);
                try
                {
                    reader.ReadRun(row, 1, bytes);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or DatasetProblemException))
                {
                    // Whatever else the reader throws on damaged data, the user needs the row and the dataset.
                    throw new DatasetProblemException(images.File, images.Path, $"row {row} cannot be read ({ex.Message})", ex);
                }
                if (!AllFinite(bytes, images.PixelType))
                {
                    throw new DatasetProblemException(images.File, images.Path, $"row {row} holds NaN or infinite values");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool AllFinite(ReadOnlySpan<byte> row, PixelType type)
    {
        switch (type)
        {
            case PixelType.Float32:
                foreach (var v in MemoryMarshal.Cast<byte, float>(row))
                {
                    if (!float.IsFinite(v))
                    {
                        return false;
                    }
                }
                return true;
            case PixelType.Float16:
                foreach (var v in MemoryMarshal.Cast<byte, Half>(row))
                {
                    if (!Half.IsFinite(v))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return true;
        }
    }

    private static void Guard(List<DatasetProblem> problems, Action check)
    {
        try
        {
            check();
        }
        catch (DatasetProblemException ex)
        {
            problems.Add(new DatasetProblem(ex.File, ex.Dataset, ex.Problem));
        }
    }
}
