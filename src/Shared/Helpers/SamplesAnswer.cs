namespace WebTrainer.Shared.Helpers;

/// <summary>One PNG per asked row, in order, and each row's class when labels were asked for.</summary>
public sealed record SamplesAnswer(IReadOnlyList<byte[]> Pngs, IReadOnlyList<int>? Classes);
