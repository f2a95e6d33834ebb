using System.Text;
using System.Text.Json;

namespace Offload.Emulation.Qos;

/// <summary><c>offload.qos-realtime/v1</c>: the real-time reports as one JSON document (CLI <c>--json</c>).</summary>
public static class RtJson
{
    public static string Render(QosHarnessOptions options, IReadOnlyList<RtScenarioReport> reports, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reports);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", "offload.qos-realtime/v1");
            w.WriteString("started", started);
            w.WriteNumber("capacityIops", options.CapacityIops);
            w.WriteNumber("seconds", options.Seconds);
            w.WriteNumber("warmupSeconds", options.WarmupSeconds);
            w.WriteStartArray("scenarios");
            foreach (var r in reports)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                w.WriteString("title", r.Title);
                w.WriteStartArray("goals");
                foreach (var g in r.Goals)
                {
                    w.WriteStartObject();
                    w.WriteString("goal", g.Goal);
                    w.WriteString("measured", g.Measured);
                    w.WriteBoolean("met", g.Met);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("runs");
                foreach (var (label, run) in r.Runs)
                {
                    w.WriteStartObject();
                    w.WriteString("label", label);
                    w.WriteString("mode", run.Mode.ToString());
                    w.WriteNumber("totalIops", Math.Round(run.TotalIops, 1));
                    w.WriteNumber("utilization", Math.Round(run.Utilization, 4));
                    w.WriteStartArray("tenants");
                    foreach (var t in run.Tenants)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", t.Name);
                        w.WriteNumber("iops", Math.Round(t.MeanIops, 1));
                        Number(w, "p50Us", t.P50Micros);
                        Number(w, "p99Us", t.P99Micros);
                        w.WriteNumber("errors", t.Errors);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    if (run.RatesAtEnd is { } rates)
                    {
                        try
                        {
                            using var doc = JsonDocument.Parse(rates);
                            w.WritePropertyName("ratesAtEnd");
                            doc.RootElement.WriteTo(w);
                        }
                        catch (JsonException)
                        {
                            w.WriteString("ratesAtEnd", rates);
                        }
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, Math.Round(value, 1));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
