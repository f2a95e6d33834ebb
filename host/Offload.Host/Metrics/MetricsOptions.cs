namespace Offload.Host.Metrics;

/// <summary>Configuration section <c>Metrics</c>.</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>
    /// OTLP endpoint (for example <c>http://127.0.0.1:4317</c>) to export meter <c>Offload.Host</c> to; empty (the
    /// default) turns OTLP export off. The Prometheus text endpoint <c>/metrics</c> is always served.
    /// </summary>
    public string? OtlpEndpoint { get; set; }
}
