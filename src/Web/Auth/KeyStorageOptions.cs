namespace WebTrainer.Web.Auth;

/// <summary>Where ASP.NET Core Data Protection keeps its keys (<c>DataProtection__KeysPath</c>).</summary>
public sealed class KeyStorageOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>Beside the artifacts' default under <c>.data</c>, as run.sh lays it out.</summary>
    public string KeysPath { get; set; } = Path.Combine(Environment.CurrentDirectory, ".data", "keys");
}
