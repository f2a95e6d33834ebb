using System.Diagnostics.Metrics;
using Offload.Host.Metrics;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.Metrics;

public class PrometheusTextExporterTests
{
    [Theory]
    [InlineData("offload.tenant.throughput", "By/s", false, "offload_tenant_throughput_bytes_per_second")]
    [InlineData("offload.tenant.latency.p99", "s", false, "offload_tenant_latency_p99_seconds")]
    [InlineData("offload.host.mailbox.messages", "{message}", true, "offload_host_mailbox_messages_total")]
    [InlineData("offload.tenant.io.rate", "{operation}/s", false, "offload_tenant_io_rate_per_second")]
    [InlineData("offload.nic.nvme.io", "By", true, "offload_nic_nvme_io_bytes_total")]
    [InlineData("offload.nic.telemetry.cpu", "1", false, "offload_nic_telemetry_cpu_ratio")]
    public void MetricName_OpenTelemetryNameAndUnit_PrometheusName(string instrument, string unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusTextExporter.MetricName(instrument, unit, counter));

    [Fact]
    public async Task Scrape_CountersGaugesAndAwkwardLabels_PromtoolAccepts()
    {
        Assert.True(File.Exists("/usr/bin/promtool"), "promtool is required: apt-get install -y prometheus");
        using var exporter = new PrometheusTextExporter();
        using var meter = new Meter("Offload.Test." + Guid.NewGuid().ToString("N"));
        var counter = meter.CreateCounter<long>("offload.test.events", "{event}", "Events.");
        meter.CreateObservableGauge("offload.test.depth", () => new Measurement<double>(2.5, new KeyValuePair<string, object?>("offload.tenant", "a\"b\\c\nd")), "{entry}", "Depth with\na newline in help.");
        counter.Add(3, new KeyValuePair<string, object?>("kind", "x"));
        counter.Add(4, new KeyValuePair<string, object?>("kind", "x"));
        counter.Add(1, new KeyValuePair<string, object?>("kind", "y"));

        string text = exporter.Scrape();
        Assert.Contains("offload_test_events_total{kind=\"x\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("offload_test_events_total{kind=\"y\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("offload_test_depth{offload_tenant=\"a\\\"b\\\\c\\nd\"} 2.5\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE offload_test_events_total counter\n", text, StringComparison.Ordinal);

        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("m.txt"), text);
        var check = await ChildProcess.RunAsync("/bin/sh", ["-c", $"promtool check metrics < {directory.File("m.txt")}"], TimeSpan.FromMinutes(1));
        Assert.True(check.ExitCode == 0, check + "\n" + text);
    }

    [Fact]
    public void Scrape_ObservableGaugeStopsReporting_SeriesDisappears()
    {
        using var exporter = new PrometheusTextExporter();
        using var meter = new Meter("Offload.Test." + Guid.NewGuid().ToString("N"));
        bool present = true;
        meter.CreateObservableGauge("offload.test.flag", () => present ? [new Measurement<int>(1, new KeyValuePair<string, object?>("t", "a"))] : Array.Empty<Measurement<int>>());
        Assert.Contains("offload_test_flag{t=\"a\"} 1", exporter.Scrape(), StringComparison.Ordinal);
        present = false;
        Assert.DoesNotContain("offload_test_flag{", exporter.Scrape(), StringComparison.Ordinal);
    }
}
