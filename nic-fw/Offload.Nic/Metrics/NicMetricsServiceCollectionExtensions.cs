using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Offload.Nic.Metrics;

/// <summary>Adds meter <c>Offload.Nic</c> and, when <c>Metrics:OtlpEndpoint</c> is set, its OTLP export.</summary>
internal static class NicMetricsServiceCollectionExtensions
{
    internal static IServiceCollection AddNicMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NicMetricsOptions>().Bind(configuration.GetSection(NicMetricsOptions.SectionName));
        services.AddSingleton<NicMetrics>();
        services.AddHostedService(static sp => sp.GetRequiredService<NicMetrics>());
        if (!string.IsNullOrEmpty(configuration[NicMetricsOptions.SectionName + ":" + nameof(NicMetricsOptions.OtlpEndpoint)]))
        {
            services.AddHostedService<NicOtlpMetricsExport>();
        }

        return services;
    }
}
