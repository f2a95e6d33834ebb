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
        if (run.RatesAtEnd is null || !TryParse(run.RatesAtEnd, out var rates) || rates.Count == 0)
        {
            return false;
        }

        var s = new StringBuilder();
        double sum = 0;
        foreach (var (name, iops, rule) in rates)
        {
            sum += iops;
            s.Append(CultureInfo.InvariantCulture, $"{(s.Length > 0 ? ", " : string.Empty)}{name} {iops:F0} ({rule})");
        }

        text = string.Create(CultureInfo.InvariantCulture, $"{s}; sum {sum:F0} IOPS = {sum / run.CapacityIops:P0} of capacity");
        return true;
    }

    /// <summary>The rates of an <c>offload.rates/v1</c> answer: tenant name ("?" when unnamed), IOPS limit, rule; false
    /// when it is not such an answer.</summary>
    public static bool TryParse(string json, out IReadOnlyList<(string Tenant, double Iops, string Rule)> rates)
    {
        var list = new List<(string, double, string)>();
        rates = list;
        try
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var rate in doc.RootElement.GetProperty("rates").EnumerateArray())
            {
                var name = rate.TryGetProperty("tenant", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "?";
                list.Add((name, rate.GetProperty("iopsLimit").GetDouble(), rate.GetProperty("rule").GetString() ?? string.Empty));
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            list.Clear();
            return false;
        }
    }
}
