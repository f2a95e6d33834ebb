using System.Diagnostics.Metrics;
using Offload.Host.Live;
using Offload.Host.Loop;
using Offload.Host.Management;
using Offload.Host.Nics;

namespace Offload.Host.Metrics;

/// <summary>
/// offloadd's instruments on meter <see cref="MeterName"/> (OpenTelemetry naming: dotted lowercase names, UCUM units,
/// counters without a <c>_total</c> suffix, which exporters add). All are observable: read from the NIC registry,
/// the per-NIC live state and the control loops when a collector asks, so nothing is counted twice.
/// </summary>
internal sealed class HostMetrics : IHostedService, IDisposable
{
    public const string MeterName = "Offload.Host";

    private readonly Meter _meter;
    private readonly NicRegistry _nics;
    private readonly NicLiveRegistry _live;
    private readonly ControlLoopRegistry? _loops;
    private readonly TimeProvider _time;

    public HostMetrics(NicRegistry nics, NicLiveRegistry live, TimeProvider time, IServiceProvider services)
    {
        _nics = nics;
        _live = live;
        _time = time;
        _loops = services.GetService<ControlLoopRegistry>();
        _meter = new Meter(MeterName, typeof(HostMetrics).Assembly.GetName().Version?.ToString());
        _meter.CreateObservableUpDownCounter("offload.host.nic.connected", () => _nics.Count, "{nic}", "NICs with an established mailbox session.");
        _meter.CreateObservableCounter("offload.host.mailbox.messages", MailboxMessages, "{message}", "Mailbox messages received from each NIC.");
        _meter.CreateObservableCounter("offload.host.controller.evaluations", Evaluations, "{evaluation}", "Control-loop policy evaluations per NIC.");
        _meter.CreateObservableCounter("offload.host.controller.rate_updates", RateUpdates, "{update}", "RateUpdate messages sent per NIC.");
        _meter.CreateObservableCounter("offload.host.controller.thresholds_folded", ThresholdsFolded, "{report}", "Threshold reports per NIC left to the next periodic report (no congestion began or ended).");
        _meter.CreateObservableGauge("offload.tenant.io.rate", () => Tenants(static t => t.Iops), "{operation}/s", "NVMe commands per second per tenant.");
        _meter.CreateObservableGauge("offload.tenant.throughput", () => Tenants(static t => t.BytesPerSecond), "By/s", "Received bytes per second per tenant.");
        _meter.CreateObservableGauge("offload.tenant.latency.p99", () => Tenants(static t => t.LatencyP99Us / 1e6 ?? double.NaN), "s", "Worst p99 command latency per tenant.");
        _meter.CreateObservableGauge("offload.tenant.sq.depth", () => Tenants(static t => t.SqDepth), "{entry}", "SQ entries per tenant (instantaneous).");
        _meter.CreateObservableGauge("offload.tenant.cq.depth", () => Tenants(static t => t.CqDepth), "{entry}", "CQ entries per tenant (instantaneous).");
        _meter.CreateObservableGauge("offload.tenant.rate_limit", () => Tenants(static t => t.RateLimit ?? double.NaN), "{request}/s", "Rate the controller last set per tenant.");
        _meter.CreateObservableGauge("offload.nic.cpu", () => NicCpu(telemetry: false), "1", "nic-fw's CPU over its last flow metadata period, in cores.");
        _meter.CreateObservableGauge("offload.nic.telemetry.cpu", () => NicCpu(telemetry: true), "1",
            "CPU of nic-fw's telemetry thread over its last flow metadata period, in cores (issue 5 bounds it at 0.05 for 10,000 flows).");
    }

    /// <summary>Registered as a hosted service only so the meter exists from startup (for dotnet-counters and OTLP).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> MailboxMessages()
    {
        foreach (var state in _live.Snapshot())
        {
            yield return new Measurement<long>(state.MessagesReceived, new KeyValuePair<string, object?>("offload.nic", state.BoardId ?? state.Endpoint));
        }
    }

    /// <summary>Per connected NIC that has sent a flow metadata period: its CPU, or its telemetry thread's, in cores
    /// (<see cref="NicsEndpoint.CpuOf"/> / 100); no series for a NIC that has not reported it.</summary>
    private IEnumerable<Measurement<double>> NicCpu(bool telemetry)
    {
        foreach (var state in _live.Snapshot())
        {
            if (state.Session is null)
            {
                continue;
            }

            var (cpu, telemetryCpu) = NicsEndpoint.CpuOf(state);
            if ((telemetry ? telemetryCpu : cpu) is { } percent)
            {
                yield return new Measurement<double>(percent / 100, new KeyValuePair<string, object?>("offload.nic", state.BoardId ?? state.Endpoint));
            }
        }
    }

    private IEnumerable<Measurement<long>> Evaluations() => Loops(static l => l.Evaluations);

    private IEnumerable<Measurement<long>> RateUpdates() => Loops(static l => l.UpdatesSent);

    private IEnumerable<Measurement<long>> ThresholdsFolded() => Loops(static l => l.ThresholdsFolded);

    private IEnumerable<Measurement<long>> Loops(Func<NicControlLoop, long> value)
    {
        if (_loops is null)
        {
            yield break;
        }

        foreach (var loop in _loops.Loops)
        {
            yield return new Measurement<long>(value(loop), new KeyValuePair<string, object?>("offload.nic.endpoint", loop.Endpoint));
        }
    }

    private IEnumerable<Measurement<double>> Tenants(Func<Offload.Contracts.Management.TenantLive, double> value)
    {
        foreach (var tenant in LiveEndpoint.Build(_live, _loops, _time.GetUtcNow()).Tenants)
        {
            double v = value(tenant);
            if (!double.IsNaN(v))
            {
                yield return new Measurement<double>(v,
                    new KeyValuePair<string, object?>("offload.nic", tenant.Nic),
                    new KeyValuePair<string, object?>("offload.tenant", tenant.Tenant));
            }
        }
    }
}
