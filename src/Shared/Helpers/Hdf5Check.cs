namespace WebTrainer.Shared.Helpers;

/// <summary>Whether a file opens as HDF5: null, or why not.</summary>
public sealed record Hdf5Check(string? Problem);
