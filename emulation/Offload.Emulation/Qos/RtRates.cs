using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Offload.Emulation.Qos;

/// <summary>Reads offloadd's <c>offload.rates/v1</c> answer kept with a run (<see cref="RtRun.RatesAtEnd"/>).</summary>
public static class RtRates
{
    /// <summary>"name rate (rule), ...; sum S IOPS = P of capacity"; false when the run kept no rates.</summary>
    public static bool Describe(RtRun run, out string text)
    {
        ArgumentNullException.ThrowIfNull(run);
        text = string.Empty;
        if (run.RatesAtEnd is null)
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(run.RatesAtEnd);
            var s = new StringBuilder();
            double sum = 0;
            foreach (var rate in doc.RootElement.GetProperty("rates").EnumerateArray())
            {
                var iops = rate.GetProperty("iopsLimit").GetDouble();
                sum += iops;
                var name = rate.TryGetProperty("tenant", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "?";
                s.Append(CultureInfo.InvariantCulture, $"{(s.Length > 0 ? ", " : string.Empty)}{name} {iops:F0} ({rate.GetProperty("rule").GetString()})");
            }

            if (s.Length == 0)
            {
                return false;
            }

            text = string.Create(CultureInfo.InvariantCulture, $"{s}; sum {sum:F0} IOPS = {sum / run.CapacityIops:P0} of capacity");
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
