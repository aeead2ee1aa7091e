namespace WebTrainer.Integration.Tests.Support;

/// <summary>A fact about what happens when root runs the scripts; skipped, with the reason, for other users.</summary>
internal sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "only root runs PostgreSQL as another user; run the tests as root to check this";
        }
    }
}
