using static System.FormattableString;

namespace Offload.Emulation.Qos;

/// <summary>Scenario 5 (prediction from history) in real time.</summary>
public sealed partial class RtScenarios
{
    /// <summary>Scenario 5: a heavy tenant goes away and comes back; Offload with offloadd's history off and on.</summary>
    public async Task<RtScenarioReport> PredictionAsync(CancellationToken cancellationToken = default)
    {
        var seconds = Options.Seconds;
        var leave = Math.Round(0.3 * seconds, 1);
        var back = Math.Round(0.5 * seconds, 1);
        var end = Math.Round(0.8 * seconds, 1);
        var victimRate = 0.05 * Capacity;
        RtTenant[] tenants =
        [
            new("heavy", 128) { OnPeriods = [(0, leave), (back, end)] },
            new("v1", 8) { PacedIops = victimRate },
            new("v2", 8) { PacedIops = victimRate },
            new("v3", 8) { PacedIops = victimRate },
        ];
        int repeats = Math.Clamp(Options.Repeats, 1, QosHarnessOptions.MaxRepeats);
        var repeated = repeats > 1
            ? Invariant($" Each configuration runs {repeats} times, alternating; the goal is judged on the median spike (one run's worst p99 is a few dozen samples).")
            : string.Empty;
        var report = new RtScenarioReport
        {
            Id = "rt-s5-prediction",
            Title = "5. Prediction (returning heavy tenant)",
            Setup = Invariant($"heavy: QD128 4 KiB reads, on 0-{leave:F1} s, disconnected, back (same host NQN and host ID) {back:F1}-{end:F1} s. Victims v1-v3: throughput class, paced at {victimRate:F0} IOPS each, QD8. Offload with offloadd's history off (`History:Enabled=false`) and on (a rollup is stored when the heavy tenant disconnects). Spike = victims' worst p99 in the 200 ms after the return minus their worst p99 in the 200 ms before the heavy tenant left (with it present: the level its return brings back). The spike over their p99 in the 200 ms before the return (it away), the statistic of earlier sessions, is shown too.{repeated}"),
        };
        report.Table.Add("| run | victims' worst p99, heavy present before it left µs | heavy away, before return µs | after return µs | spike over the present level µs | spike over the away level µs | heavy IOPS while on | heavy IOPS, first 200 ms back |");
        report.Table.Add("|---|---:|---:|---:|---:|---:|---:|---:|");
        var spikes = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
        for (int repeat = 1; repeat <= repeats && Options.Modes.Contains(QosMode.Offload); repeat++)
        {
            foreach (var history in new[] { false, true })
            {
                var label = history ? "Offload, history on" : "Offload, history off";
                var row = repeats > 1 ? Invariant($"{label} (run {repeat})") : label;
                var run = await RunModeAsync(report, QosMode.Offload, tenants, cancellationToken, row,
                    history ? [] : ["--History:Enabled=false"], record: repeat == 1);
                var (present, away, after, heavyOn, heavyBack) = Spike(run, leave, back, end);
                spikes[history].Add(Math.Max(0, after - present));
                report.Table.Add(Invariant($"| {row} | {present:F0} | {away:F0} | {after:F0} | {spikes[history][^1]:F0} | {Math.Max(0, after - away):F0} | {heavyOn:F0} | {heavyBack:F0} |"));
            }
        }

        if (spikes[false].Count > 0)
        {
            double off = RtStats.Median(spikes[false]), on = RtStats.Median(spikes[true]);
            if (repeats > 1)
            {
                report.Table.Add(Invariant($"| **median spike**, history off / on | | | | {off:F0} / {on:F0} | | | |"));
            }

            var met = off > 0 && on <= 0.5 * off;
            var why = off > 0 ? string.Empty : " (no spike without history to reduce: not measurable in this run)";
            var what = repeats > 1 ? Invariant($"median of {repeats}: ") : string.Empty;
            report.Goal("spike with history >= 50% smaller than without", Invariant($"{what}{on:F0} µs vs {off:F0} µs{why}"), met);
        }

        return report;
    }

    /// <summary>Victims' worst p99 in the two windows before the heavy tenant left, the two before its return and the
    /// two after it, the heavy tenant's mean
    /// IOPS over its on periods and over the two windows after its return (how fast it gets its share back: an
    /// application offloadd has no history of starts from a low rate, which also shields the victims).</summary>
    private static (double Present, double Away, double After, double HeavyOn, double HeavyBack) Spike(RtRun run, double leave, double back, double end)
    {
        var w = (int)Math.Round(back / RtRun.WindowSeconds);
        var left = (int)Math.Round(leave / RtRun.WindowSeconds);
        double present = 0, away = 0, after = 0;
        foreach (var v in run.Tenants.Skip(1))
        {
            present = Math.Max(present, v.Recorder.PercentileMicros(left - 2, left, 0.99));
            away = Math.Max(away, v.Recorder.PercentileMicros(w - 2, w, 0.99));
            after = Math.Max(after, v.Recorder.PercentileMicros(w, w + 2, 0.99));
        }

        var heavy = run.Tenants[0].Recorder;
        var heavyOn = (heavy.MeanIops(0, (int)(leave / RtRun.WindowSeconds)) + heavy.MeanIops(w, (int)(end / RtRun.WindowSeconds))) / 2;
        return (present, away, after, heavyOn, heavy.MeanIops(w, w + 2));
    }
}
