namespace WebTrainer.Shared.Jobs;

/// <summary>One of a predictor's top classes for an image.</summary>
public sealed record Prediction(int ClassIndex, string ClassName, double Probability);
