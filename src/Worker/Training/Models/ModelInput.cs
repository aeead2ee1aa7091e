using System.Text.Json.Serialization;
using WebTrainer.Shared.Jobs;
using static TorchSharp.torch;

namespace WebTrainer.Worker.Training.Models;

/// <summary>
/// The images a dataset delivers (channels, height, width) and what the network needs. The
/// model adapts one to the other inside its forward pass, so the data pipeline stays generic
/// and a saved model takes dataset-shaped input wherever it is used.
/// </summary>
internal sealed record ModelInput(int DataChannels, int DataHeight, int DataWidth, int Channels, int Height, int Width)
{
    /// <summary>ResNets and MobileNetV2 downsample 32x; below that their last stages see a single pixel.</summary>
    public const int MinimumConvNetSize = 32;

    /// <summary>InceptionV3's stem and auxiliary head are built for 299x299 (it fails below 75).</summary>
    public const int InceptionSize = 299;

    public static ModelInput For(string architecture, int channels, int height, int width)
    {
        if (channels is not (1 or 3 or 4))
        {
            throw new NotSupportedException($"images with {channels} channels are not supported; use 1 (grey), 3 (RGB) or 4 (RGBA)");
        }
        return architecture switch
        {
            Architectures.SmallCnn => new(channels, height, width, channels, height, width),
            Architectures.ResNet18 or Architectures.ResNet50 or Architectures.MobileNetV2 =>
                new(channels, height, width, 3, Math.Max(height, MinimumConvNetSize), Math.Max(width, MinimumConvNetSize)),
            Architectures.InceptionV3 => new(channels, height, width, 3, InceptionSize, InceptionSize),
            _ => throw new NotSupportedException(
                $"model.architecture '{architecture}' is not available; choose one of: {string.Join(", ", Architectures.All)}"),
        };
    }

    [JsonIgnore]
    public bool Resizes => (Height, Width) != (DataHeight, DataWidth);

    /// <summary>Dataset-shaped [B,C,H,W] in, network-shaped out: grey repeated to RGB, alpha dropped, bilinear resize.</summary>
    public Tensor Adapt(Tensor images)
    {
        var x = images;
        if (DataChannels != Channels)
        {
            x = (DataChannels, Channels) switch
            {
                (1, 3) => x.expand(-1, 3, -1, -1),
                (4, 3) => x.narrow(1, 0, 3),
                _ => throw new NotSupportedException($"cannot adapt {DataChannels}-channel images to a {Channels}-channel network"),
            };
        }
        if (Resizes)
        {
            x = nn.functional.interpolate(x, [Height, Width], mode: InterpolationMode.Bilinear, align_corners: false);
        }
        return x;
    }
}
