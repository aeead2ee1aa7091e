namespace WebTrainer.Shared.Jobs;

public static class Architectures
{
    public const string SmallCnn = "small_cnn";
    public const string ResNet18 = "resnet18";
    public const string ResNet50 = "resnet50";
    public const string MobileNetV2 = "mobilenet_v2";
    public const string InceptionV3 = "inception_v3";

    public static readonly IReadOnlyList<string> All = [SmallCnn, ResNet18, ResNet50, MobileNetV2, InceptionV3];
}
