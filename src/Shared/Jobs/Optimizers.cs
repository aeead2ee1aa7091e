namespace WebTrainer.Shared.Jobs;

public static class Optimizers
{
    public const string Sgd = "sgd";
    public const string Adam = "adam";
    public const string AdamW = "adamw";

    public static readonly IReadOnlyList<string> All = [Sgd, Adam, AdamW];
}
