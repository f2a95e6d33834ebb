using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Offload.Host.Metrics;

/// <summary>
/// Collects every instrument of the <c>Offload.*</c> meters with a <see cref="MeterListener"/> and writes them in the
/// Prometheus text exposition format 0.0.4 (one <c># HELP</c>/<c># TYPE</c> per family, samples grouped by family).
/// Names follow the OpenTelemetry-to-Prometheus rules: dots become underscores, the unit becomes a suffix
/// (<c>By</c> bytes, <c>s</c> seconds, <c>/s</c> per_second, annotations like <c>{entry}</c> dropped), counters end in
/// <c>_total</c>.
/// </summary>
/// <remarks>Scrapes are serialized by a lock; counter increments from other threads take the same lock briefly.</remarks>
internal sealed class PrometheusTextExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<Instrument, Dictionary<string, double>> _values = [];

    public PrometheusTextExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Offload.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Content type of the text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Observes every observable instrument now and returns the whole exposition.</summary>
    public string Scrape()
    {
        lock (_lock)
        {
            foreach (var (instrument, series) in _values)
            {
                if (IsObservable(instrument))
                {
                    series.Clear();
                }
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            var families = _values.Keys.ToList();
            families.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var instrument in families)
            {
                var series = _values[instrument];
                bool counter = IsCounter(instrument);
                string name = MetricName(instrument.Name, instrument.Unit, counter);
                text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Description ?? instrument.Name)).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(counter ? "counter" : "gauge").Append('\n');
                var labels = series.Keys.ToList();
                labels.Sort(StringComparer.Ordinal);
                foreach (var label in labels)
                {
                    text.Append(name).Append(label).Append(' ').Append(FormatValue(series[label])).Append('\n');
                }
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    internal static string MetricName(string instrument, string? unit, bool counter)
    {
        var name = new StringBuilder(instrument.Length + 16);
        foreach (char c in instrument)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        string suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.ToString().EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name.Append('_').Append(suffix);
        }

        if (counter)
        {
            name.Append("_total");
        }

        return name.ToString();
    }

    internal static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return string.Empty;
        }

        string perSecond = string.Empty;
        if (unit.EndsWith("/s", StringComparison.Ordinal))
        {
            perSecond = "per_second";
            unit = unit[..^2];
        }

        string main = unit switch
        {
            "By" => "bytes",
            "s" => "seconds",
            "ms" => "milliseconds",
            "1" => "ratio",
            _ when unit.StartsWith('{') => string.Empty,
            _ => new string([.. unit.Where(char.IsAsciiLetterOrDigit)]),
        };
        return main.Length > 0 && perSecond.Length > 0 ? main + "_" + perSecond : main + perSecond;
    }

    internal static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static bool IsCounter(Instrument instrument)
    {
        var type = instrument.GetType();
        return type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Counter<>) || type.GetGenericTypeDefinition() == typeof(ObservableCounter<>));
    }

    private static bool IsObservable(Instrument instrument) => instrument.IsObservable;

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string labels = Labels(tags);
        lock (_lock)
        {
            if (!_values.TryGetValue(instrument, out var series))
            {
                series = new Dictionary<string, double>(StringComparer.Ordinal);
                _values[instrument] = series;
            }

            if (instrument.IsObservable || !IsCounter(instrument) && instrument.GetType().GetGenericTypeDefinition() != typeof(UpDownCounter<>))
            {
                series[labels] = value;
            }
            else
            {
                series[labels] = series.GetValueOrDefault(labels) + value;
            }
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder("{");
        for (int i = 0; i < sorted.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            foreach (char c in sorted[i].Key)
            {
                text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
            }

            text.Append("=\"");
            foreach (char c in Convert.ToString(sorted[i].Value, CultureInfo.InvariantCulture) ?? string.Empty)
            {
                _ = c switch
                {
                    '\\' => text.Append("\\\\"),
                    '"' => text.Append("\\\""),
                    '\n' => text.Append("\\n"),
                    _ => text.Append(c),
                };
            }

            text.Append('"');
        }

        return text.Append('}').ToString();
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
