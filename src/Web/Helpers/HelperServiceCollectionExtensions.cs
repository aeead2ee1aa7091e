using Microsoft.Extensions.Options;

namespace WebTrainer.Web.Helpers;

internal static class HelperServiceCollectionExtensions
{
    /// <summary>The helper processes that parse files and images and run inference outside the Web.</summary>
    public static IServiceCollection AddHelpers(this IServiceCollection services)
    {
        services.AddOptions<HelperOptions>().BindConfiguration(HelperOptions.SectionName).ValidateOnStart();
        services.AddSingleton<HelperOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<HelperOptions>>(s => s.GetRequiredService<HelperOptionsValidator>());
        services.AddSingleton<IValidateOptions<HelperOptions>>(s => s.GetRequiredService<HelperOptionsValidator>());
        services.AddSingleton<HelperPool>();
        services.AddSingleton<HelperClient>();
        services.AddExceptionHandler<HelperFailureHandler>();
        return services;
    }
}
