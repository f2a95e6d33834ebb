using static System.FormattableString;

namespace Offload.Emulation.Qos;

/// <summary>Scenarios 2 (isolation) and 3 (weights, reservation, limit).</summary>
public sealed partial class RtScenarios
{
    /// <summary>Scenario 2: one QD128 aggressor and 3 paced latency-sensitive victims.</summary>
    public async Task<RtScenarioReport> IsolationAsync(CancellationToken cancellationToken = default)
    {
        var victimRate = 0.05 * Capacity;
        RtTenant[] victims =
        [
            new("v1", 1) { PacedIops = victimRate, LatencySensitive = true },
            new("v2", 2) { PacedIops = victimRate, LatencySensitive = true },
            new("v3", 4) { PacedIops = victimRate, LatencySensitive = true },
        ];
        RtTenant[] all = [new("aggressor", 128), .. victims];
        var report = new RtScenarioReport
        {
            Id = "rt-s2-isolation",
            Title = "2. Isolation",
            Setup = Invariant($"Aggressor: closed loop QD128, 4 KiB random reads (backlogged). Victims v1-v3: latency-sensitive, paced at {victimRate:F0} IOPS each (5% of capacity; evenly spaced, not Poisson), at most QD 1, 2 and 4 outstanding. 'alone' = the three victims without the aggressor (Offload configuration; 15% load, uncontended), one run."),
        };
        var alone = await RunModeAsync(report, QosMode.Offload, victims, cancellationToken, "victims alone");
        report.Table.Add("| mode | v1 p99 µs (x alone) | v2 p99 µs (x alone) | v3 p99 µs (x alone) | aggressor IOPS | utilization |");
        report.Table.Add("|---|---:|---:|---:|---:|---:|");
        report.Table.Add(Invariant($"| victims alone | {alone.Tenants[0].P99Micros:F0} | {alone.Tenants[1].P99Micros:F0} | {alone.Tenants[2].P99Micros:F0} | - | {alone.Utilization:P1} |"));
        var worst = new Dictionary<QosMode, double>();
        var worstP99 = new Dictionary<QosMode, double>();
        var runs = new Dictionary<QosMode, RtRun>();
        foreach (var mode in Options.Modes)
        {
            var run = await RunModeAsync(report, mode, all, cancellationToken);
            runs[mode] = run;
            var cells = new string[3];
            double worstRatio = 0, worstMicros = 0;
            for (var v = 0; v < 3; v++)
            {
                var p99 = run.Tenants[v + 1].P99Micros;
                var ratio = p99 / alone.Tenants[v].P99Micros;
                worstRatio = Math.Max(worstRatio, ratio);
                worstMicros = Math.Max(worstMicros, p99);
                cells[v] = Invariant($"{p99:F0} ({ratio:F2}x)");
            }

            worst[mode] = worstRatio;
            worstP99[mode] = worstMicros;
            report.Table.Add(Invariant($"| {QosHarnessOptions.Label(mode)} | {cells[0]} | {cells[1]} | {cells[2]} | {run.Tenants[0].MeanIops:F0} | {run.Utilization:P1} |"));
        }

        if (runs.TryGetValue(QosMode.Offload, out var offload))
        {
            var victimsTotal = offload.Tenants.Skip(1).Sum(t => t.MeanIops);
            var leftover = Capacity - victimsTotal;
            report.Goal("each victim's p99 <= 1.5x alone", Invariant($"worst {worst[QosMode.Offload]:F2}x"), worst[QosMode.Offload] <= 1.5);
            report.Goal("work conserving: aggressor gets what victims leave (>= 95%)",
                Invariant($"{offload.Tenants[0].MeanIops:F0} of {leftover:F0} IOPS ({offload.Tenants[0].MeanIops / leftover:P1})"), offload.Tenants[0].MeanIops >= 0.95 * leftover);
            report.Goal("utilization >= 95%", Invariant($"{offload.Utilization:P1}"), offload.Utilization >= 0.95);
            foreach (var baseline in new[] { QosMode.Fifo, QosMode.StaticLimits })
            {
                if (runs.TryGetValue(baseline, out var b))
                {
                    var change = 1 - (worstP99[QosMode.Offload] / worstP99[baseline]);
                    var tail = change >= 0 ? Invariant($"{change:P1} lower") : Invariant($"{worstP99[QosMode.Offload] / worstP99[baseline]:F2}x higher");
                    report.Notes.Add(Invariant($"Offload against {QosHarnessOptions.Label(baseline)}: worst victim p99 {tail}, utilization {offload.Utilization / b.Utilization:F2}x (Gimbal reports 62.6% lower tail latency and up to 6.6x better utilization than its baseline)."));
                }
            }
        }

        return report;
    }

    /// <summary>Scenario 3: weights 1:2:4, then a reservation and a limit (Offload only).</summary>
    public async Task<RtScenarioReport> WeightsAsync(CancellationToken cancellationToken = default)
    {
        RtTenant[] weighted = [new("w1", 32) { Weight = 1 }, new("w2", 32) { Weight = 2 }, new("w4", 32) { Weight = 4 }];
        var report = new RtScenarioReport
        {
            Id = "rt-s3-weights",
            Title = "3. Weights, reservation, limit",
            Setup = Invariant($"(a) 3 backlogged tenants (QD32, 4 KiB random reads) with weights 1:2:4; (b) Offload only: 3 backlogged tenants of weight 1, 'res' with a reservation of 50% of capacity, 'lim' with a limit of 10%, 'free' neither. Capacity {Capacity:F0} IOPS."),
        };
        report.Table.Add("| mode | w1 share | w2 share | w4 share | worst error vs 1/7, 2/7, 4/7 | utilization |");
        report.Table.Add("|---|---:|---:|---:|---:|---:|");
        double[] ideal = [1 / 7.0, 2 / 7.0, 4 / 7.0];
        double? offloadError = null;
        foreach (var mode in Options.Modes)
        {
            var run = await RunModeAsync(report, mode, weighted, cancellationToken);
            var total = run.TotalIops;
            double worst = 0;
            var share = new double[3];
            for (var i = 0; i < 3; i++)
            {
                share[i] = total > 0 ? run.Tenants[i].MeanIops / total : 0;
                worst = Math.Max(worst, Math.Abs(share[i] - ideal[i]) / ideal[i]);
            }

            if (mode == QosMode.Offload)
            {
                offloadError = worst;
            }

            report.Table.Add(Invariant($"| {QosHarnessOptions.Label(mode)} | {share[0]:P1} | {share[1]:P1} | {share[2]:P1} | {worst:P1} | {run.Utilization:P1} |"));
        }

        if (offloadError is { } e)
        {
            report.Goal("weights 1:2:4 within ±5% (relative)", Invariant($"worst {e:P1}"), e <= 0.05);
        }

        if (!Options.Modes.Contains(QosMode.Offload))
        {
            return report;
        }

        RtTenant[] sla = [new("res", 32) { Reservation = 0.5 * Capacity }, new("lim", 32) { Limit = 0.1 * Capacity }, new("free", 32)];
        var o = await RunModeAsync(report, QosMode.Offload, sla, cancellationToken, "Offload SLA");
        double res = o.Tenants[0].MeanIops, lim = o.Tenants[1].MeanIops, free = o.Tenants[2].MeanIops;
        var warmup = (int)Math.Round(o.WarmupSeconds / RtRun.WindowSeconds);
        var limPeak = o.Tenants[1].IopsSeries.Skip(warmup).DefaultIfEmpty(0).Max();
        report.Table.Add(string.Empty);
        report.Table.Add("| (b) Offload | res (reservation 50%) | lim (limit 10%) | free |");
        report.Table.Add("|---|---:|---:|---:|");
        report.Table.Add(Invariant($"| IOPS | {res:F0} ({res / Capacity:P1}) | {lim:F0} ({lim / Capacity:P1}); worst 100 ms {limPeak:F0} | {free:F0} ({free / Capacity:P1}) |"));
        report.Goal("reservation met (>= 98% of 50% capacity)", Invariant($"{res / Capacity:P1} of capacity"), res >= 0.98 * 0.5 * Capacity);
        report.Goal("limit never exceeded by > 2% (any 100 ms window)", Invariant($"worst {limPeak / (0.1 * Capacity):P1} of limit"), limPeak <= 1.02 * 0.1 * Capacity);
        return report;
    }
}
