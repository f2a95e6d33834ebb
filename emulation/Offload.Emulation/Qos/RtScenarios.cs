using System.Globalization;
using static System.FormattableString;

namespace Offload.Emulation.Qos;

/// <summary>
/// Acceptance scenarios 1-6 of issue 5 in real time: the same tenants as the simulation
/// (emulation/Offload.Simulation/Scenarios), over loopback against real nic-fw and offloadd, every mode in the same run.
/// </summary>
public sealed partial class RtScenarios(RealtimeRunner runner)
{
    /// <summary>Scenario numbers this harness runs.</summary>
    public static IReadOnlyList<int> Available { get; } = [1, 2, 3, 4, 5, 6];

    private QosHarnessOptions Options => runner.Options;

    private double Capacity => Options.CapacityIops;

    /// <summary>Runs scenario <paramref name="number"/>.</summary>
    public Task<RtScenarioReport> RunAsync(int number, CancellationToken cancellationToken = default) => number switch
    {
        1 => FairnessAsync(cancellationToken),
        2 => IsolationAsync(cancellationToken),
        3 => WeightsAsync(cancellationToken),
        4 => ConvergenceAsync(cancellationToken),
        5 => PredictionAsync(cancellationToken),
        6 => ReadWriteMixAsync(cancellationToken),
        _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"There is no real-time scenario {number}; use one of {string.Join(", ", Available)} (7 is scripts/perf-loop.sh)."), nameof(number)),
    };

    /// <summary>Scenario 1: 4 equal tenants, QD 1/4/16/64, all backlogged.</summary>
    public async Task<RtScenarioReport> FairnessAsync(CancellationToken cancellationToken = default)
    {
        RtTenant[] tenants = [new("qd1", 1), new("qd4", 4), new("qd16", 16), new("qd64", 64)];
        var report = new RtScenarioReport
        {
            Id = "rt-s1-fairness",
            Title = "1. Fairness",
            Setup = "4 equal-weight tenants, closed loop, 4 KiB random reads, QD 1, 4, 16 and 64, all backlogged.",
        };
        report.Table.Add("| mode | qd1 IOPS | qd4 IOPS | qd16 IOPS | qd64 IOPS | Jain | utilization | qd1 p99 µs |");
        report.Table.Add("|---|---:|---:|---:|---:|---:|---:|---:|");
        var jain = new Dictionary<QosMode, double>();
        foreach (var mode in Options.Modes)
        {
            var run = await RunModeAsync(report, mode, tenants, cancellationToken);
            var x = run.Tenants.Select(t => t.MeanIops).ToArray();
            jain[mode] = RtStats.Jain(x);
            report.Table.Add(Invariant($"| {QosHarnessOptions.Label(mode)} | {x[0]:F0} | {x[1]:F0} | {x[2]:F0} | {x[3]:F0} | {jain[mode]:F3} | {run.Utilization:P1} | {run.Tenants[0].P99Micros:F0} |"));
        }

        if (jain.TryGetValue(QosMode.Offload, out var offload))
        {
            report.Goal("Offload Jain >= 0.99", Invariant($"{offload:F3}"), offload >= 0.99);
        }

        if (jain.TryGetValue(QosMode.Fifo, out var fifo))
        {
            report.Goal("FIFO far lower (< 0.8)", Invariant($"FIFO {fifo:F3}"), fifo < 0.8);
        }

        return report;
    }

    /// <summary>Runs one mode of a scenario, with progress, and records it in the report.</summary>
    /// <param name="record">false: a repeat, only in the table (not plotted, not in the notes or runs).</param>
    private async Task<RtRun> RunModeAsync(RtScenarioReport report, QosMode mode, IReadOnlyList<RtTenant> tenants, CancellationToken cancellationToken, string? label = null,
        IReadOnlyList<string>? offloaddArguments = null, bool record = true)
    {
        label ??= QosHarnessOptions.Label(mode);
        Options.Progress?.WriteLine($"{report.Title}: {label}");
        var run = await runner.RunAsync(mode, tenants, offloaddArguments ?? [], cancellationToken);
        if (!record)
        {
            return run;
        }

        report.Runs.Add((label, run));
        if (mode == QosMode.Offload && RtRates.Describe(run, out var rates))
        {
            report.Notes.Add($"{label}: offloadd's rates shortly before the end: {rates}.");
        }

        var errors = run.Tenants.Sum(t => t.Errors);
        if (errors > 0)
        {
            report.Notes.Add(Invariant($"{label}: {errors} commands failed."));
        }

        return run;
    }
}
