using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Offload.Nic.Datapath;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Metrics;

/// <summary>
/// nic-fw's instruments on meter <see cref="MeterName"/> (OpenTelemetry naming: dotted lowercase names, UCUM units).
/// All observable: they read the datapath's and the NVMe target's own counters when a collector asks, so the hot
/// paths count nothing extra.
/// </summary>
internal sealed class NicMetrics : IHostedService, IDisposable
{
    public const string MeterName = "Offload.Nic";

    private static readonly DropReason[] Reasons = Enum.GetValues<DropReason>();

    private readonly Meter _meter;
    private readonly NicDatapath _datapath;
    private readonly IApplicationCounterSource? _nvme;

    public NicMetrics(NicDatapath datapath, IServiceProvider services)
    {
        _datapath = datapath;
        _nvme = (IApplicationCounterSource?)services.GetService(typeof(IApplicationCounterSource));
        var inspection = (DatapathInspectionSubscriber?)services.GetService(typeof(DatapathInspectionSubscriber));
        _meter = new Meter(MeterName, typeof(NicMetrics).Assembly.GetName().Version?.ToString());
        _meter.CreateObservableCounter("offload.nic.datapath.packets", Packets, "{packet}", "Frames received and transmitted by the datapath.");
        _meter.CreateObservableCounter("offload.nic.datapath.drops", Drops, "{packet}", "Frames dropped by the datapath, by reason.");
        _meter.CreateObservableCounter("offload.nic.datapath.lookups", Lookups, "{packet}", "Flow lookups by result: exact-match cache hit, megaflow hit, miss.");
        _meter.CreateObservableCounter("offload.nic.datapath.upcalls", () => _datapath.Switch.Stats.UpcallsSent, "{upcall}", "Misses sent to the host as upcalls.");
        _meter.CreateObservableUpDownCounter("offload.nic.datapath.flows", () => _datapath.Switch.FlowCount, "{flow}", "Megaflows installed.");
        _meter.CreateObservableCounter("offload.nic.capture.dropped", () => inspection?.CaptureDropped ?? 0, "{packet}", "Mirrored frames dropped because a capture's ring was full.");
        _meter.CreateObservableCounter("offload.nic.nvme.commands", Commands, "{command}", "NVMe I/O commands completed, by tenant and operation.");
        _meter.CreateObservableCounter("offload.nic.nvme.io", Bytes, "By", "NVMe bytes read and written, by tenant and operation.");
    }

    /// <summary>Registered as a hosted service only so the meter exists from startup (for dotnet-counters and OTLP).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The meter (for in-process listeners and tests).</summary>
    internal Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> Packets()
    {
        var stats = _datapath.Switch.Stats;
        yield return new Measurement<long>(stats.Received, new KeyValuePair<string, object?>("network.io.direction", "receive"));
        yield return new Measurement<long>(stats.Transmitted, new KeyValuePair<string, object?>("network.io.direction", "transmit"));
    }

    private IEnumerable<Measurement<long>> Drops()
    {
        var drops = _datapath.Switch.Stats.Drops;
        foreach (var reason in Reasons)
        {
            long n = reason == DropReason.None ? 0 : drops[reason];
            if (n > 0)
            {
                yield return new Measurement<long>(n, new KeyValuePair<string, object?>("offload.drop.reason", reason.ToString()));
            }
        }
    }

    private IEnumerable<Measurement<long>> Lookups()
    {
        var stats = _datapath.Switch.Stats;
        yield return new Measurement<long>(stats.ExactMatchHits, new KeyValuePair<string, object?>("offload.lookup.result", "emc_hit"));
        yield return new Measurement<long>(stats.ClassifierHits, new KeyValuePair<string, object?>("offload.lookup.result", "megaflow_hit"));
        yield return new Measurement<long>(stats.FlowMisses, new KeyValuePair<string, object?>("offload.lookup.result", "miss"));
    }

    private IEnumerable<Measurement<long>> Commands() => Nvme(static c => (c.ReadCommands, c.WriteCommands));

    private IEnumerable<Measurement<long>> Bytes() => Nvme(static c => (c.BytesRead, c.BytesWritten));

    private IEnumerable<Measurement<long>> Nvme(Func<ApplicationCounters, (long Read, long Write)> select)
    {
        if (_nvme is null)
        {
            yield break;
        }

        var counters = new List<ApplicationCounters>();
        _nvme.CollectApplicationCounters(counters);
        var totals = new SortedDictionary<string, (long Read, long Write)>(StringComparer.Ordinal);
        foreach (var c in counters)
        {
            string tenant = c.App.ToString();
            var (read, write) = select(c);
            var sum = totals.GetValueOrDefault(tenant);
            totals[tenant] = (sum.Read + read, sum.Write + write);
        }

        foreach (var (tenant, (read, write)) in totals)
        {
            yield return new Measurement<long>(read, new KeyValuePair<string, object?>("offload.tenant", tenant), new KeyValuePair<string, object?>("offload.nvme.operation", "read"));
            yield return new Measurement<long>(write, new KeyValuePair<string, object?>("offload.tenant", tenant), new KeyValuePair<string, object?>("offload.nvme.operation", "write"));
        }
    }
}
