using WebTrainer.Testing;

namespace WebTrainer.Browser.Tests.Support;

/// <summary>
/// One WebTrainer with a Web, one Worker and a small synthetic dataset, shared by the tests of a
/// class: starting a Worker costs more than most of the tests it serves. Started by the first
/// test that asks (xunit 2 gives class fixtures no collection fixtures), stopped after the last.
/// </summary>
public sealed class TrainingSystem : IAsyncLifetime
{
    public const string DatasetFile = "stripes.h5";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebTrainerSystem? _system;

    public async Task<WebTrainerSystem> GetAsync(PostgresServer server)
    {
        await _gate.WaitAsync();
        try
        {
            if (_system is null)
            {
                var system = await WebTrainerSystem.CreateAsync(server);
                await system.AddSyntheticDatasetAsync(DatasetFile, count: 600, size: 16, classes: 4);
                await system.StartWebAsync();
                await system.StartWorkerAsync("worker-1");
                _system = system;
            }
            return _system;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_system is not null)
        {
            await _system.DisposeAsync();
        }
        _gate.Dispose();
    }
}
