using Offload.Controller.Cost;
using Offload.Simulation.Engine;
using Offload.Simulation.Model;
using Offload.Simulation.Results;
using static System.FormattableString;

namespace Offload.Simulation.Scenarios;

/// <summary>
/// Acceptance scenarios 1-6 of issue 5 in simulation. Every scenario runs Offload and the baselines
/// (FIFO, NVMe round robin, static equal limits) on the same tenants, device and seed.
/// </summary>
internal sealed partial class QosScenarios(DeviceModel device, int seed = 1, double lengthScale = 1.0)
{
    private static readonly SchedulerKind[] AllKinds = [SchedulerKind.Fifo, SchedulerKind.NvmeRoundRobin, SchedulerKind.StaticLimits, SchedulerKind.Offload];

    public DeviceModel Device { get; } = device;

    public IReadOnlyList<ScenarioReport> RunAll() => [Fairness(), Isolation(), Weights(), Convergence(), Prediction(), ReadWriteMix()];

    /// <summary>One scenario by its id prefix ("s1".."s6").</summary>
    public IReadOnlyList<ScenarioReport> RunAll(string only) => only switch
    {
        "s1" => [Fairness()],
        "s2" => [Isolation()],
        "s3" => [Weights()],
        "s4" => [Convergence()],
        "s5" => [Prediction()],
        "s6" => [ReadWriteMix()],
        _ => [],
    };

    private SimResult Run(SchedulerKind kind, IReadOnlyList<TenantSpec> tenants, double seconds, Func<SimulationConfig, SimulationConfig>? tweak = null)
    {
        var config = new SimulationConfig(kind, Device, tenants, seconds * lengthScale) { Seed = seed, WarmupSeconds = 0.3 * lengthScale };
        if (tweak is not null)
        {
            config = tweak(config);
        }

        using var sim = new DiscreteEventSimulator(config);
        return sim.Run();
    }

    private double S(double seconds) => seconds * lengthScale;

    private static string Name(SchedulerKind kind) => kind switch
    {
        SchedulerKind.Fifo => "FIFO",
        SchedulerKind.NvmeRoundRobin => "NVMe RR",
        SchedulerKind.StaticLimits => "static limits",
        _ => "Offload",
    };

    /// <summary>Scenario 1: 4 equal tenants, QD 1/4/16/64, all backlogged.</summary>
    public ScenarioReport Fairness()
    {
        var tenants = new List<TenantSpec>
        {
            new("qd1", new(1), ArrivalKind.ClosedLoop, 1),
            new("qd4", new(2), ArrivalKind.ClosedLoop, 4),
            new("qd16", new(3), ArrivalKind.ClosedLoop, 16),
            new("qd64", new(4), ArrivalKind.ClosedLoop, 64),
        };
        var report = new ScenarioReport
        {
            Id = "s1-fairness",
            Title = "1. Fairness",
            Setup = "4 equal-weight tenants, closed loop, 4 KiB reads, QD 1, 4, 16 and 64, all backlogged; 2 s.",
        };
        report.Table.Add("| scheduler | qd1 IOPS | qd4 IOPS | qd16 IOPS | qd64 IOPS | Jain | utilization |");
        report.Table.Add("|---|---:|---:|---:|---:|---:|---:|");
        var jain = new Dictionary<SchedulerKind, double>();
        foreach (var kind in AllKinds)
        {
            var r = Run(kind, tenants, 2.0);
            report.Runs[Name(kind)] = r;
            var x = new double[tenants.Count];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = r.MeanIops(i);
            }

            jain[kind] = Stats.Jain(x);
            report.Table.Add(Invariant($"| {Name(kind)} | {x[0]:F0} | {x[1]:F0} | {x[2]:F0} | {x[3]:F0} | {jain[kind]:F3} | {r.Utilization:P1} |"));
        }

        report.Goal("Offload Jain >= 0.99", Invariant($"{jain[SchedulerKind.Offload]:F3}"), jain[SchedulerKind.Offload] >= 0.99);
        report.Goal("FIFO far lower", Invariant($"FIFO {jain[SchedulerKind.Fifo]:F3}, NVMe RR {jain[SchedulerKind.NvmeRoundRobin]:F3}"), jain[SchedulerKind.Fifo] < 0.8);
        return report;
    }

    /// <summary>Scenario 3: weights 1:2:4, then a reservation and a limit.</summary>
    public ScenarioReport Weights()
    {
        var weighted = new List<TenantSpec>
        {
            new("w1", new(1), ArrivalKind.ClosedLoop, 32, Weight: 1),
            new("w2", new(2), ArrivalKind.ClosedLoop, 32, Weight: 2),
            new("w4", new(3), ArrivalKind.ClosedLoop, 32, Weight: 4),
        };
        var report = new ScenarioReport
        {
            Id = "s3-weights",
            Title = "3. Weights, reservation, limit",
            Setup = Invariant($"(a) 3 backlogged tenants (QD32, 4 KiB reads) with weights 1:2:4; (b) 3 backlogged tenants of weight 1: 'res' has a reservation of 50% of capacity, 'lim' a limit of 10%, 'free' neither. Capacity {Device.ReadIops:F0} cost units/s; 2 s each."),
        };
        report.Table.Add("| scheduler | w1 share | w2 share | w4 share | worst error vs 1/7, 2/7, 4/7 |");
        report.Table.Add("|---|---:|---:|---:|---:|");
        double[] ideal = [1 / 7.0, 2 / 7.0, 4 / 7.0];
        double offloadError = 1;
        foreach (var kind in AllKinds)
        {
            var r = Run(kind, weighted, 2.0);
            report.Runs[Name(kind)] = r;
            double total = r.MeanCost(0) + r.MeanCost(1) + r.MeanCost(2);
            double worst = 0;
            var share = new double[3];
            for (int i = 0; i < 3; i++)
            {
                share[i] = r.MeanCost(i) / total;
                worst = Math.Max(worst, Math.Abs(share[i] - ideal[i]) / ideal[i]);
            }

            if (kind == SchedulerKind.Offload)
            {
                offloadError = worst;
            }

            report.Table.Add(Invariant($"| {Name(kind)} | {share[0]:P1} | {share[1]:P1} | {share[2]:P1} | {worst:P1} |"));
        }

        report.Goal("weights 1:2:4 within ±5% (relative)", Invariant($"worst {offloadError:P1}"), offloadError <= 0.05);

        double c = Device.ReadIops;
        var sla = new List<TenantSpec>
        {
            new("res", new(1), ArrivalKind.ClosedLoop, 32, Reservation: 0.5 * c),
            new("lim", new(2), ArrivalKind.ClosedLoop, 32, Limit: 0.1 * c),
            new("free", new(3), ArrivalKind.ClosedLoop, 32),
        };
        var o = Run(SchedulerKind.Offload, sla, 2.0);
        report.Runs["Offload SLA"] = o;
        double res = o.MeanCost(0), lim = o.MeanCost(1), free = o.MeanCost(2);
        double limPeak = MaxWindow(o.Tenants[1].SeriesCost, o, 0.1);

        report.Table.Add(string.Empty);
        report.Table.Add("| (b) Offload | res (reservation 50%) | lim (limit 10%) | free |");
        report.Table.Add("|---|---:|---:|---:|");
        report.Table.Add(Invariant($"| cost units/s | {res:F0} ({res / c:P1}) | {lim:F0} ({lim / c:P1}); worst 100 ms {limPeak:F0} | {free:F0} ({free / c:P1}) |"));
        report.Goal("reservation met (>= 98% of 50% capacity)", Invariant($"{res / c:P1} of capacity"), res >= 0.98 * 0.5 * c);
        report.Goal("limit never exceeded by > 2% (any 100 ms window)", Invariant($"worst {limPeak / (0.1 * c):P1} of limit"), limPeak <= 1.02 * 0.1 * c);
        return report;
    }

    /// <summary>Highest mean of <paramref name="series"/> over any window of <paramref name="seconds"/> after warm-up.</summary>
    internal static double MaxWindow(double[] series, SimResult r, double seconds)
    {
        int w = Math.Max(1, (int)Math.Round(seconds / r.PeriodSeconds));
        int start = (int)Math.Ceiling(r.WarmupSeconds / r.PeriodSeconds);
        double best = 0;
        for (int i = start; i + w <= series.Length; i++)
        {
            double sum = 0;
            for (int k = 0; k < w; k++)
            {
                sum += series[i + k];
            }

            best = Math.Max(best, sum / w);
        }

        return best;
    }

    /// <summary>Scenario 6: a write-heavy tenant against read-heavy ones, cost model on and off.</summary>
    public ScenarioReport ReadWriteMix()
    {
        var tenants = new List<TenantSpec>
        {
            new("reader1", new(1), ArrivalKind.ClosedLoop, 32, ReadFraction: 1.0),
            new("reader2", new(2), ArrivalKind.ClosedLoop, 32, ReadFraction: 0.9),
            new("writer", new(3), ArrivalKind.ClosedLoop, 32, ReadFraction: 0.0),
        };
        var report = new ScenarioReport
        {
            Id = "s6-rwmix",
            Title = "6. Read/write mix (write-cost model)",
            Setup = Invariant($"3 equal-weight backlogged tenants (QD32, 4 KiB): reader1 100% reads, reader2 90% reads, writer 100% writes. A write costs the memory {Device.WriteCost:G2}x a read. Share = fraction of the memory's time (cost units) each tenant gets; fair = 33.3% each. 2 s."),
        };
        report.Table.Add("| scheduler | reader1 | reader2 | writer | writer IOPS |");
        report.Table.Add("|---|---:|---:|---:|---:|");
        double worstReaderOn = 0, worstReaderOff = 0;
        foreach (var (label, kind, cost) in new (string, SchedulerKind, CostModel?)[]
        {
            ("FIFO", SchedulerKind.Fifo, null),
            ("NVMe RR", SchedulerKind.NvmeRoundRobin, null),
            ("static limits", SchedulerKind.StaticLimits, null),
            ("Offload, cost model off", SchedulerKind.Offload, CostModel.Uniform),
            ("Offload, cost model on", SchedulerKind.Offload, new CostModel(1.0, Device.WriteCost)),
        })
        {
            var r = Run(kind, tenants, 2.0, c => c with { PolicyCost = cost });
            report.Runs[label] = r;
            double total = r.MeanCost(0) + r.MeanCost(1) + r.MeanCost(2);
            double r1 = r.MeanCost(0) / total, r2 = r.MeanCost(1) / total, w = r.MeanCost(2) / total;
            if (label.EndsWith("on", StringComparison.Ordinal))
            {
                worstReaderOn = Math.Min(r1, r2);
            }
            else if (label.EndsWith("off", StringComparison.Ordinal))
            {
                worstReaderOff = Math.Min(r1, r2);
            }

            report.Table.Add(Invariant($"| {label} | {r1:P1} | {r2:P1} | {w:P1} | {r.MeanIops(2):F0} |"));
        }

        report.Goal("with the cost model, read-heavy tenants keep >= 95% of their fair third", Invariant($"worst reader {worstReaderOn:P1} (cost model off: {worstReaderOff:P1})"), worstReaderOn >= 0.95 / 3);
        return report;
    }
}
