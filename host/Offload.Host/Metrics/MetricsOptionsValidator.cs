using Microsoft.Extensions.Options;

namespace Offload.Host.Metrics;

/// <summary>Checks <c>Metrics:OtlpEndpoint</c>: empty, or an absolute http/https URL.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.OtlpEndpoint))
        {
            return ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Metrics:OtlpEndpoint='{options.OtlpEndpoint}' is not an http(s) URL; use for example http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318/v1/metrics (HTTP), or leave it unset.");
    }
}
