using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Offload.Nic.Metrics;

/// <summary>Exports meter <see cref="NicMetrics.MeterName"/> over OTLP to <c>Metrics:OtlpEndpoint</c>; registered only when set.</summary>
internal sealed class NicOtlpMetricsExport(IOptions<NicMetricsOptions> options, NicMetrics metrics) : IHostedService, IDisposable
{
    private MeterProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(metrics); // the instruments exist before the first export
        if (!Uri.TryCreate(options.Value.OtlpEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new OptionsValidationException(NicMetricsOptions.SectionName, typeof(NicMetricsOptions),
                [$"Metrics:OtlpEndpoint='{options.Value.OtlpEndpoint}' is not an http(s) URL; use for example http://127.0.0.1:4317, or leave it unset."]);
        }

        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(NicMetrics.MeterName)
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
