namespace WebTrainer.Worker.Jobs;

/// <summary>Runs an action on dispose: a <c>using</c> that undoes a setting when a scope ends.</summary>
internal sealed class Disposable(Action onDispose) : IDisposable
{
    public void Dispose() => onDispose();
}
