using PureHDF;
using SkiaSharp;
using WebTrainer.Shared.Jobs;
using WebTrainer.Testing;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Training;
using WebTrainer.Worker.Training.Artifacts;
using WebTrainer.Shared.Storage;

namespace WebTrainer.Worker.Tests.Training;

[Collection(TrainingCollection.Name)]
public sealed class PredictorTests : IDisposable
{
    private const int Size = 16;
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Predictor_ReturnsTheTrainedClass_ForTrainingImagesGivenAsPngOrFloats()
    {
        var file = await TrainingFixture.SynthAsync(_temp, count: 1500, size: Size, classes: 4);
        var spec = TrainingFixture.Spec(file, new TrainingSpec { Epochs = 3, BatchSize = 32, LearningRate = 0.003 });
        {
            var data = TrainingData.Open(file, spec.Dataset);
            var directory = TrainingFixture.RunDirectory(_temp, "run");
            await new Trainer(new TrainerSettings { RunDirectory = directory }, new RecordingSink()).RunAsync(spec, data, CancellationToken.None);
        }
        var (images, labels) = ReadTrainSplit(file, 20);

        using var predictor = Predictor.Load(_temp.File("run"));

        Assert.Equal(Architectures.SmallCnn, predictor.Manifest.Architecture);
        Assert.Equal(4, predictor.Manifest.Classes.Count);
        Assert.Equal("stripes 45°", predictor.Manifest.Classes[1]);
        // The pipeline multiplies in float32: the manifest records the float value it used.
        Assert.Equal((double)(1f / 255), predictor.Manifest.Normalization.Rescale);
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var fromPng = predictor.PredictEncoded(Png(images[i]));
            var fromFloats = predictor.Predict(Chw(images[i]), 3, Size, Size);
            Assert.Equal(4, fromPng.Count);
            Assert.Equal(fromFloats, fromPng);
            Assert.True(fromPng.Zip(fromPng.Skip(1)).All(pair => pair.First.Probability >= pair.Second.Probability));
            Assert.InRange(fromPng.Sum(p => p.Probability), 0.999, 1.001);
            Assert.Equal(predictor.Manifest.Classes[fromPng[0].ClassIndex], fromPng[0].ClassName);
            correct += fromPng[0].ClassIndex == labels[i] ? 1 : 0;
        }
        // Chance is 25 %; the smoke test shows this model reaches well over 70 % in three epochs.
        Assert.True(correct >= 15, $"{correct} of {labels.Length} training images classified as trained");
    }

    [Fact]
    public async Task Predictor_AcceptsOtherSizesAndGreyImages()
    {
        var file = await TrainingFixture.SynthAsync(_temp, count: 300, size: Size, classes: 4);
        var spec = TrainingFixture.Spec(file, new TrainingSpec { Epochs = 1, BatchSize = 32 });
        {
            var data = TrainingData.Open(file, spec.Dataset);
            await new Trainer(new TrainerSettings { RunDirectory = TrainingFixture.RunDirectory(_temp, "run") }, new RecordingSink())
                .RunAsync(spec, data, CancellationToken.None);
        }
        using var predictor = Predictor.Load(_temp.File("run"));

        using var grey = new SKBitmap(new SKImageInfo(40, 30, SKColorType.Gray8));
        grey.Erase(new SKColor(128, 128, 128));
        using var encoded = grey.Encode(SKEncodedImageFormat.Png, 100);
        Assert.Equal(4, predictor.PredictEncoded(encoded.AsSpan(), top: 5).Count);
        Assert.Equal(2, predictor.Predict(new float[30 * 40], 1, 30, 40, top: 2).Count);
        Assert.Throws<ArgumentException>(() => predictor.PredictEncoded("not an image"u8));
        Assert.Throws<ArgumentException>(() => predictor.Predict(new float[10], 3, Size, Size));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>The first rows of the train split, straight from the file (N,H,W,C uint8 and one-hot labels).</summary>
    private static (byte[][] Images, int[] Labels) ReadTrainSplit(string file, int count)
    {
        using var h5 = H5File.OpenRead(file);
        var pixels = h5.Dataset("train_img").Read<byte[]>();
        var oneHot = h5.Dataset("train_labels").Read<byte[]>();
        int row = Size * Size * 3, classes = oneHot.Length / (pixels.Length / row);
        var images = Enumerable.Range(0, count).Select(i => pixels.AsSpan(i * row, row).ToArray()).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => Array.IndexOf(oneHot, (byte)1, i * classes, classes) - i * classes).ToArray();
        return (images, labels);
    }

    private static byte[] Png(byte[] hwc)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                int at = (y * Size + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(hwc[at], hwc[at + 1], hwc[at + 2], 255));
            }
        }
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    private static float[] Chw(byte[] hwc)
    {
        var chw = new float[hwc.Length];
        for (int i = 0; i < hwc.Length; i++)
        {
            chw[(i % 3) * Size * Size + i / 3] = hwc[i];
        }
        return chw;
    }
}
