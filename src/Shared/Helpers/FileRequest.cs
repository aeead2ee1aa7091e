namespace WebTrainer.Shared.Helpers;

/// <summary>An operation on one file, a full path the Web resolved inside its data roots (inspect, check-hdf5).</summary>
public sealed record FileRequest(string File);
