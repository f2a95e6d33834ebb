using System.Text.Json;
using Offload.Emulation.Qos;
using Offload.Testing.Processes;

namespace Offload.Emulation.Tests.Qos;

/// <summary>The real-time QoS harness against real nic-fw and offloadd processes: short runs, robust properties only.</summary>
public sealed class RtScenariosTests
{
    private static QosHarnessOptions Options(params QosMode[] modes) => new(RepositoryLayout.NicFw, RepositoryLayout.Offloadd)
    {
        CapacityIops = 2000,
        Seconds = 2.5,
        WarmupSeconds = 0.5,
        Modes = modes,
    };

    [Fact]
    public void StateJson_StaticLimits_EveryTenantPinnedToAnEqualShareAndEnforced()
    {
        var runner = new RealtimeRunner(Options(QosMode.StaticLimits));
        RtTenant[] tenants = [new("a", 1) { Weight = 2, LatencySensitive = true }, new("b", 4) { Limit = 300 }];

        using var doc = JsonDocument.Parse(runner.StateJson(QosMode.StaticLimits, tenants));
        var root = doc.RootElement;

        Assert.Equal("offload.state/v1", root.GetProperty("schema").GetString());
        Assert.True(root.GetProperty("policy").GetProperty("enforce").GetBoolean());
        var t = root.GetProperty("tenants");
        Assert.Equal(1, t[0].GetProperty("application").GetInt32());
        Assert.Equal("latency-sensitive", t[0].GetProperty("class").GetString());
        Assert.Equal(2, t[0].GetProperty("weight").GetDouble());
        Assert.Equal(300, t[1].GetProperty("limit").GetDouble());
        var pins = root.GetProperty("pinnedRates");
        Assert.Equal(2, pins.GetArrayLength());
        Assert.All(pins.EnumerateArray(), p => Assert.Equal(1000, p.GetProperty("iops").GetInt64()));

        using var fifo = JsonDocument.Parse(runner.StateJson(QosMode.Fifo, tenants));
        Assert.False(fifo.RootElement.GetProperty("policy").GetProperty("enforce").GetBoolean());
        Assert.Equal(0, fifo.RootElement.GetProperty("pinnedRates").GetArrayLength());
    }

    [Fact]
    public async Task FairnessAsync_FifoAndRoundRobinOverRealProcesses_AllTenantsProgressAndReportHasShape()
    {
        var options = Options(QosMode.Fifo, QosMode.RoundRobin);
        var scenarios = new RtScenarios(new RealtimeRunner(options));

        var report = await scenarios.FairnessAsync();

        Assert.Equal(["FIFO", "NVMe RR"], report.Runs.Select(r => r.Label));
        foreach (var (label, run) in report.Runs)
        {
            Assert.Equal(["qd1", "qd4", "qd16", "qd64"], run.Tenants.Select(t => t.Name));
            Assert.All(run.Tenants, t => Assert.True(t.MeanIops > 0 && t.Errors == 0, $"{label} {t.Name}: {t.MeanIops} IOPS, {t.Errors} errors"));
            Assert.All(run.Tenants, t => Assert.Equal(25, t.IopsSeries.Count));
            Assert.True(run.TotalIops <= options.CapacityIops * 1.2, $"{label}: {run.TotalIops} IOPS over a {options.CapacityIops} IOPS cap");
        }

        // FIFO rewards queue depth: qd64 holds 64 of the 85 outstanding commands.
        var fifo = report.Runs[0].Run;
        Assert.True(fifo["qd64"].MeanIops > 4 * fifo["qd1"].MeanIops, $"FIFO qd64 {fifo["qd64"].MeanIops:F0} vs qd1 {fifo["qd1"].MeanIops:F0}");
        Assert.Equal(4, report.Table.Count); // header, separator, one row per mode
        Assert.Contains(report.Goals, g => g.Goal.StartsWith("FIFO", StringComparison.Ordinal));

        var markdown = new RtMarkdown(options, "offload-emu qos --scenario 1", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10)).Render([report]);
        Assert.Contains("## 1. Fairness", markdown, StringComparison.Ordinal);
        Assert.Contains("| NVMe RR |", markdown, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(RtJson.Render(options, [report], DateTimeOffset.UtcNow));
        var runs = json.RootElement.GetProperty("scenarios")[0].GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        Assert.Equal(4, runs[1].GetProperty("tenants").GetArrayLength());
    }

    /// <summary>Scenario 5 repeated: every run is a table row, the first of each configuration is plotted, and the goal
    /// is judged on the median spike.</summary>
    [Fact]
    public async Task PredictionAsync_Repeated_RowPerRunMedianJudgedFirstRunsPlotted()
    {
        var options = Options(QosMode.Offload) with { Repeats = 2 };
        var report = await new RtScenarios(new RealtimeRunner(options)).PredictionAsync();

        Assert.Equal(["Offload, history off (run 1)", "Offload, history on (run 1)"], report.Runs.Select(r => r.Label));
        Assert.Equal(2 + 4 + 1, report.Table.Count); // header, separator, 2 x 2 runs, the medians
        Assert.Contains(report.Table, row => row.StartsWith("| Offload, history on (run 2) |", StringComparison.Ordinal));
        Assert.StartsWith("| **median spike**", report.Table[^1], StringComparison.Ordinal);
        var goal = Assert.Single(report.Goals);
        Assert.StartsWith("median of 2: ", goal.Measured, StringComparison.Ordinal);
        Assert.All(report.Runs, r => Assert.True(r.Run.Tenants[1].MeanIops > 0, $"{r.Label}: victim v1 completed nothing"));

        // The spike is over the level with the heavy tenant present before it left; the one over the away level is shown.
        foreach (var row in report.Table.Where(r => r.StartsWith("| Offload,", StringComparison.Ordinal)))
        {
            var c = row.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)
                .Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(7, c.Length);
            Assert.Equal(Math.Max(0, c[2] - c[0]), c[3], 1.0); // each cell is rounded on its own
            Assert.Equal(Math.Max(0, c[2] - c[1]), c[4], 1.0);
        }
    }

    [Fact]
    public async Task RunAsync_JoinAndLeave_TenantsCompleteOnlyInTheirOnPeriods()
    {
        var runner = new RealtimeRunner(Options(QosMode.RoundRobin) with { Seconds = 2.4 });
        RtTenant[] tenants =
        [
            new("a", 4) { OnPeriods = [(0, 1.0)] },
            new("b", 4),
            new("c", 4) { OnPeriods = [(1.2, 10)] },
        ];

        var run = await runner.RunAsync(QosMode.RoundRobin, tenants);

        double Sum(string name, int from, int to) => run[name].IopsSeries.Skip(from).Take(to - from).Sum();
        Assert.True(Sum("a", 0, 9) > 0, "a made no progress before it left");
        // a leaves at 1.0 s: its generator returns once its in-flight commands complete (late under load, never early),
        // and nothing of a's completes after that.
        var stopped = run["a"].Recorder.StoppedWindow;
        Assert.InRange(stopped, 10, 23);
        Assert.Equal(0, Sum("a", stopped + 1, 24));
        Assert.Equal(0, Sum("c", 0, 12)); // joins at 1.2 s
        Assert.True(Sum("c", 16, 24) > 0, "c made no progress after it joined");
        Assert.True(Sum("b", 0, 24) > 0);
        Assert.All(run.Tenants, t => Assert.Equal(0, t.Errors));
    }
}
