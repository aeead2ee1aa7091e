namespace WebTrainer.Shared.Helpers;

/// <summary>Top <paramref name="Top"/> classes of an encoded PNG or JPEG by the model in <paramref name="ModelFolder"/> (a run directory).</summary>
public sealed record PredictRequest(string ModelFolder, byte[] Image, int Top = 5);
