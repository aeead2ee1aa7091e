namespace WebTrainer.Shared.Storage;

/// <summary>Who uploaded a file in a data root (null id and email: the user was deleted), and its size when recorded.</summary>
public sealed record DatasetFileOwner(string Root, string Path, long? OwnerId, string? OwnerEmail, long? SizeBytes);
