namespace WebTrainer.Worker.Training.Artifacts;

/// <summary>One of a predictor's top classes for an image.</summary>
internal sealed record Prediction(int ClassIndex, string ClassName, double Probability);
