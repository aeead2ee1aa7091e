using WebTrainer.Shared.Jobs;
using System.Text;
using WebTrainer.Worker.Data.Collation;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Training.Checkpoints;
using WebTrainer.Worker.Training.Models;
using static TorchSharp.torch;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Training.Artifacts;

/// <summary>
/// Loads a run's <c>model.weights</c> and <c>model.json</c> and classifies single images: top-k
/// classes with probabilities. Input is brought to what training fed the model: the dataset's
/// channels and size, then the pipeline's rescale and normalisation; the model adapts the rest
/// itself. Thread-safe; CPU.
/// </summary>
internal sealed class Predictor : IDisposable
{
    private readonly ImageClassifier _model;
    private readonly PixelNormalizer _normalizer;
    private readonly Lock _gate = new();

    private Predictor(ModelManifest manifest, ImageClassifier model)
    {
        Manifest = manifest;
        _model = model;
        // The pipeline's own conversion of stored pixels, so a prediction sees what training saw.
        var normalization = manifest.Normalization;
        _normalizer = new PixelNormalizer(ImageLayout.Nchw, (float)normalization.Rescale, normalization.Mean, normalization.Std);
    }

    public ModelManifest Manifest { get; }

    /// <summary>Loads from a run directory (or any folder holding <c>model.json</c> and the weights it names).</summary>
    public static Predictor Load(string directory)
    {
        var manifest = ModelArtifacts.ReadManifest(Path.Combine(directory, RunDirectory.ManifestFileName));
        var model = ModelFactory.Create(manifest.Architecture, manifest.Input, manifest.Classes.Count);
        try
        {
            using var stream = File.OpenRead(Path.Combine(directory, manifest.WeightsFile));
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            model.load(reader, strict: true);
            model.eval();
            return new Predictor(manifest, model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>An encoded image (PNG, JPEG, ...), decoded to 0–255 pixel values like a uint8 dataset's.</summary>
    public IReadOnlyList<Prediction> PredictEncoded(ReadOnlySpan<byte> encoded, int top = 5)
    {
        var input = Manifest.Input;
        var chw = ImageDecoder.Decode(encoded, input.DataChannels, input.DataHeight, input.DataWidth);
        return Predict(chw, input.DataChannels, input.DataHeight, input.DataWidth, top);
    }

    /// <summary>A decoded image, float CHW in the dataset's raw pixel units (0–255 for uint8 datasets), any size, 1, 3 or 4 channels.</summary>
    public IReadOnlyList<Prediction> Predict(ReadOnlySpan<float> chw, int channels, int height, int width, int top = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (height < 1 || width < 1 || chw.Length != (long)channels * height * width)
        {
            throw new ArgumentException($"{chw.Length} values are not a {channels}x{height}x{width} image", nameof(chw));
        }
        using var scope = NewDisposeScope();
        var pixels = ToDatasetShape(tensor(chw.ToArray(), [1, channels, height, width]), channels);
        var x = ChannelsLast.Of(_normalizer.ToModelInput(pixels, CPU));
        Tensor probabilities;
        lock (_gate)
        {
            using var noGrad = no_grad();
            probabilities = nn.functional.softmax(_model.call(x), 1).squeeze(0);
        }
        var (values, indexes) = probabilities.topk(Math.Min(top, Manifest.Classes.Count));
        var p = values.data<float>().ToArray();
        var k = indexes.data<long>().ToArray();
        return k.Select((index, i) => new Prediction((int)index, Manifest.Classes[(int)index], p[i])).ToList();
    }

    public void Dispose() => _model.Dispose();

    private Tensor ToDatasetShape(Tensor x, int channels)
    {
        var input = Manifest.Input;
        x = (channels, input.DataChannels) switch
        {
            var (from, to) when from == to => x,
            (1, 3) => x.expand(-1, 3, -1, -1),
            (3 or 4, 1) => x.narrow(1, 0, 3).mul(tensor(new[] { 0.299f, 0.587f, 0.114f }).view(1, 3, 1, 1)).sum(1, keepdim: true),
            (4, 3) => x.narrow(1, 0, 3),
            _ => throw new ArgumentException($"a {channels}-channel image cannot be given to a model trained on {input.DataChannels}-channel images", nameof(channels)),
        };
        if (x.shape[2] != input.DataHeight || x.shape[3] != input.DataWidth)
        {
            bool shrinking = x.shape[2] > input.DataHeight || x.shape[3] > input.DataWidth;
            x = nn.functional.interpolate(x, [input.DataHeight, input.DataWidth], mode: InterpolationMode.Bilinear, align_corners: false,
                antialias: shrinking);
        }
        return x;
    }
}
