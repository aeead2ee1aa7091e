using System.Text.Json.Serialization;
using WebTrainer.Shared.Jobs;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Hdf5;

namespace WebTrainer.Worker.Training;

/// <summary>
/// What the data pipeline did to raw pixel values before the model saw them: multiply by
/// <see cref="Rescale"/>, then, when <see cref="Mean"/> and <see cref="Std"/> are set, subtract
/// and divide per channel. A predictor must do the same to its input.
/// </summary>
internal sealed record InputNormalization(double Rescale, IReadOnlyList<float>? Mean, IReadOnlyList<float>? Std)
{
    [JsonIgnore]
    public bool Standardizes => Mean is not null && Std is not null;

    /// <summary>
    /// The pipeline's rule, as <see cref="SplitLoaders"/> applies it: rescale from the spec, else 1/255
    /// for uint8 and 1 otherwise; no per-channel standardisation (the collator is given none yet).
    /// When the loaders start computing mean and std, take them from there instead.
    /// </summary>
    public static InputNormalization Of(JobSpec spec, TrainingData data) =>
        new(spec.Augmentation.Rescale ?? (data.Train.Images.PixelType == PixelType.UInt8 ? 1.0 / 255 : 1.0), null, null);
}
