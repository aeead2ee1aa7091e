namespace WebTrainer.Worker.Training;

/// <summary>
/// What the data pipeline did to raw pixel values before the model saw them: multiply by
/// <see cref="Rescale"/>, then, when <see cref="Mean"/> and <see cref="Std"/> are set, subtract
/// and divide per channel. A predictor must do the same to its input.
/// </summary>
internal sealed record InputNormalization(double Rescale, IReadOnlyList<float>? Mean, IReadOnlyList<float>? Std);
