using Offload.Host.Metrics;

namespace Offload.Host.Management;

/// <summary><c>GET /metrics</c>: Prometheus text exposition of the <c>Offload.*</c> meters.</summary>
internal static class MetricsEndpoint
{
    internal static IResult Handle(PrometheusTextExporter exporter, HostMetrics metrics)
    {
        // HostMetrics is resolved so its instruments exist before the first scrape.
        GC.KeepAlive(metrics);
        return Results.Text(exporter.Scrape(), PrometheusTextExporter.ContentType);
    }
}
