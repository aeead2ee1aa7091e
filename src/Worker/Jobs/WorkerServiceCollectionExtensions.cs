using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebTrainer.Shared.Files;
using WebTrainer.Shared.Jobs;
using WebTrainer.Shared.Storage;
using WebTrainer.Worker.Data;
using WebTrainer.Worker.Data.Hdf5;
using WebTrainer.Worker.Training;

namespace WebTrainer.Worker.Jobs;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>This Worker's settings, shared by the Worker and its run processes.</summary>
    public static IServiceCollection AddWorkerOptions(this IServiceCollection services)
    {
        services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => Devices.All.Contains(o.Device), $"Worker:Device must be one of: {string.Join(", ", Devices.All)}")
            .Validate(o => o.Threads >= 1, "Worker:Threads must be at least 1")
            .Validate(o => o.Readers >= 1, "Worker:Readers must be at least 1")
            .Validate(o => o.PrefetchBudgetMegabytes >= 1, "Worker:PrefetchBudgetMegabytes must be at least 1")
            .Validate(o => o.OptimizeBlockBytes is >= 1 and <= 1L << 30, "Worker:OptimizeBlockBytes must be between 1 and 1 GiB")
            .ValidateOnStart();
        services.AddHdf5Limits();
        return services;
    }

    /// <summary>
    /// A Hangfire server that runs training jobs, one at a time, on this process's device: each in a
    /// run process of its own that this one supervises.
    /// </summary>
    public static IServiceCollection AddTrainingWorker(this IServiceCollection services)
    {
        services.AddWorkerOptions();
        services.AddWebTrainerHangfire();
        services.AddSingleton<Runs.RunSupervisor>();
        services.AddSingleton<CancellationWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<CancellationWatcher>());
        services.AddSingleton<WorkerHeartbeat>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerHeartbeat>());
        services.AddHostedService<JobDispatcher>();
        services.AddTransient<ITrainingJob, TrainingJob>();

        services.AddHangfireServer((sp, server) =>
        {
            var worker = sp.GetRequiredService<IOptions<WorkerOptions>>().Value;
            server.ServerName = worker.Name;
            server.WorkerCount = 1;
            server.Queues = JobQueues.ServedBy(worker.Device != Devices.Cpu && TorchSharp.torch.cuda.is_available());
        });
        return services;
    }
}
