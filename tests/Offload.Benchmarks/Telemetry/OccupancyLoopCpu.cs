using System.Diagnostics;
using Microsoft.Extensions.Options;
using Offload.Nic.Telemetry;

namespace Offload.Benchmarks.Telemetry;

/// <summary>
/// The occupancy reporter's thread, run for a while over N connections' queues (no mailbox: the passes alone), and the
/// share of one core the process spent meanwhile. Same-run baseline: <c>PollCpuBudget = 1</c>, which paces the way
/// the loop did before the budget (a pass, then the 1 ms poll). Alternates baseline and default three times each.
/// </summary>
public static class OccupancyLoopCpu
{
    public static void Run(int connections, TimeSpan duration, TextWriter output)
    {
        var source = new OccupancyPollBenchmarks.Source(connections);
        output.WriteLine($"occupancy reporter thread, {connections} connections ({2 * connections} queues), {duration.TotalSeconds:F0} s per run");
        for (int round = 1; round <= 3; round++)
        {
            foreach (var budget in new[] { 1.0, new TelemetryOptions().PollCpuBudget })
            {
                var (core, passes) = Measure(source, budget, duration);
                output.WriteLine($"  round {round}, PollCpuBudget {budget:F2}: {core:P1} of a core, {passes / duration.TotalSeconds:F0} passes/s");
            }
        }
    }

    private static (double Core, long Passes) Measure(OccupancyPollBenchmarks.Source source, double budget, TimeSpan duration)
    {
        using var reporter = new OccupancyReporter(source, new AppDirectory(), null, TimeProvider.System,
            Options.Create(new TelemetryOptions { PollCpuBudget = budget, ReporterThreadPriority = Offload.Contracts.Threading.ControlThreadPriority.Normal }));
        reporter.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        Thread.Sleep(500);
        long passesBefore = reporter.Passes;
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        Thread.Sleep(duration);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var wall = clock.Elapsed;
        long passes = reporter.Passes - passesBefore;
        reporter.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        return (cpu / wall, passes);
    }
}
