using Offload.Host.Logs;
using Offload.Host.Metrics;

namespace Offload.Host.Live;

/// <summary>
/// Adds what the operator commands read: per-NIC live state (nics, queues, watch, flows, capture), the in-memory log
/// ring (logs) and the metrics (meter <c>Offload.Host</c>, Prometheus text on <c>/metrics</c>, optional OTLP).
/// </summary>
internal static class OperatorViewsServiceCollectionExtensions
{
    internal static IServiceCollection AddOperatorViews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<NicLiveRegistry>();
        services.AddSingleton<LogRing>(static _ => new LogRing());
        services.AddSingleton<ILoggerProvider, LogRingProvider>();
        services.AddHostMetrics(configuration);
        return services;
    }
}
