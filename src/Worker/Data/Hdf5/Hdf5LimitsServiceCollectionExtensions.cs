using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace WebTrainer.Worker.Data.Hdf5;

public static class Hdf5LimitsServiceCollectionExtensions
{
    /// <summary>Binds <see cref="Hdf5Limits"/> from <c>Hdf5:Limits</c>, validates it on start and makes it the process-wide limits.</summary>
    public static IServiceCollection AddHdf5Limits(this IServiceCollection services)
    {
        services.AddOptions<Hdf5Limits>()
            .BindConfiguration(Hdf5Limits.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<Hdf5Limits>, Hdf5LimitsValidation>();
        services.AddHostedService<Hdf5LimitsActivator>();
        return services;
    }

    /// <summary>Static readers (inspection, validation) have no container: hand them the configured limits once.</summary>
    private sealed class Hdf5LimitsActivator(IOptions<Hdf5Limits> limits) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            Hdf5Limits.Use(limits.Value);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
