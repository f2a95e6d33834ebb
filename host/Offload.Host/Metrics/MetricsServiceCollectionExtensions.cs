using Microsoft.Extensions.Options;

namespace Offload.Host.Metrics;

/// <summary>Adds offloadd's meter, its Prometheus text exporter and, when configured, OTLP export (section <c>Metrics</c>).</summary>
internal static class MetricsServiceCollectionExtensions
{
    internal static IServiceCollection AddHostMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddSingleton<HostMetrics>();
        services.AddHostedService(static sp => sp.GetRequiredService<HostMetrics>());
        services.AddSingleton<PrometheusTextExporter>();
        if (!string.IsNullOrEmpty(configuration[MetricsOptions.SectionName + ":" + nameof(MetricsOptions.OtlpEndpoint)]))
        {
            services.AddHostedService<OtlpMetricsExport>();
        }

        return services;
    }
}
