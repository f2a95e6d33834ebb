namespace Offload.Host.Metrics;

/// <summary>Adds offloadd's meter and its Prometheus text exporter (section <c>Metrics</c>).</summary>
internal static class MetricsServiceCollectionExtensions
{
    internal static IServiceCollection AddHostMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName));
        services.AddSingleton<HostMetrics>();
        services.AddSingleton<PrometheusTextExporter>();
        return services;
    }
}
