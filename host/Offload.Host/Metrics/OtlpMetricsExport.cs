using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Offload.Host.Metrics;

/// <summary>
/// Exports meter <see cref="HostMetrics.MeterName"/> over OTLP (OpenTelemetry SDK + OTLP exporter) to
/// <c>Metrics:OtlpEndpoint</c>; registered only when that key is set.
/// </summary>
internal sealed class OtlpMetricsExport(IOptions<MetricsOptions> options, HostMetrics metrics) : IHostedService, IDisposable
{
    private MeterProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(metrics); // the instruments exist before the first export
        var endpoint = new Uri(options.Value.OtlpEndpoint!);
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(HostMetrics.MeterName)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
                o.Protocol = endpoint.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            })
            .Build();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _provider?.ForceFlush(1000);
        return Task.CompletedTask;
    }

    public void Dispose() => _provider?.Dispose();
}
