namespace Offload.Nic.Metrics;

/// <summary>Configuration section <c>Metrics</c> of nic-fw.</summary>
internal sealed class NicMetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>OTLP endpoint to export meter <c>Offload.Nic</c> to (for example <c>http://127.0.0.1:4317</c>); empty (the default): off.</summary>
    public string? OtlpEndpoint { get; set; }
}
