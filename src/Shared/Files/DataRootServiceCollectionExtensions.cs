using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WebTrainer.Shared.Files;

public static class DataRootServiceCollectionExtensions
{
    /// <summary>The data roots (<c>DataRoots:0</c>, <c>DataRoots:1</c>, …) both hosts resolve dataset names in.</summary>
    public static IServiceCollection AddDataRoots(this IServiceCollection services)
    {
        services.AddOptions<DataRootOptions>()
            .Configure<IConfiguration>((o, c) =>
                o.Roots = c.GetSection(DataRootOptions.SectionName).GetChildren().Select(s => s.Value ?? "").ToList());
        services.AddSingleton<DataRoots>();
        return services;
    }
}
