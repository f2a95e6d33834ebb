using BenchmarkDotNet.Running;

namespace Offload.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project tests/Offload.Benchmarks -- --filter '*FlowMetadata*'</c>;
/// <c>-- occupancy-loop [connections] [seconds]</c> measures the occupancy reporter's own thread instead
/// (<see cref="Telemetry.OccupancyLoopCpu"/>: a duty cycle, which BenchmarkDotNet's per-call timing cannot show);
/// <c>-- telemetry-loop [connections] [seconds] [--no-io] [--io-within-low] [--shm] [--threshold-budget SHARE] [--signal-coalescing MS] [--no-baseline] [--latency-windows N] [--sweep PARTS]</c> the whole telemetry thread with a real mailbox
/// (over loopback TCP, or with <c>--shm</c> the shared-memory ring)
/// (<see cref="Telemetry.TelemetryLoopCpu"/>); <c>-- telemetry-period [connections] [rounds] [Method,Method...] [--sweep PARTS]</c> the
/// <see cref="Telemetry.TelemetryPeriodBenchmarks"/> methods interleaved call by call, medians
/// (<see cref="Telemetry.TelemetryPeriodInterleaved"/>); <c>-- line-sharing [lines] [rounds]</c> two I/O threads counting
/// into alternate telemetry lines, cache-line-aligned against the old layout (<see cref="Telemetry.LineSharing"/>);
/// <c>-- line-sweep [connections] [rounds]</c> and <c>-- wake-cost [rounds]</c> the floors under the reporter's cost: a
/// cache line streamed in (written by another core or not), and one wake-up of a waiting thread
/// (<see cref="Telemetry.SweepFloor"/>). <c>--sweep</c> leaves parts of the reporter's per-line work out:
/// <c>all</c> (default), <c>no-connection-records</c> or <c>no-lines</c> (<see cref="Offload.Nic.Telemetry.SweepParts"/>).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "occupancy-loop")
        {
            int connections = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
            double seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
            Telemetry.OccupancyLoopCpu.Run(connections, TimeSpan.FromSeconds(seconds), Console.Out);
            return;
        }

        if (args.Length > 0 && args[0] == "telemetry-loop")
        {
            int connections = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
            double seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10;
            Telemetry.TelemetryLoopCpu.Run(connections, TimeSpan.FromSeconds(seconds), Console.Out, simulatedIo: !args.Contains("--no-io"), sharedMemory: args.Contains("--shm"), ioWithinLow: args.Contains("--io-within-low"),
                signalCoalescing: Array.IndexOf(args, "--signal-coalescing") is var sc and >= 0 && sc + 1 < args.Length
                    ? TimeSpan.FromMilliseconds(double.Parse(args[sc + 1], System.Globalization.CultureInfo.InvariantCulture)) : null,
                thresholdBudget: Array.IndexOf(args, "--threshold-budget") is var at and >= 0 && at + 1 < args.Length
                    ? double.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : null,
                baseline: !args.Contains("--no-baseline"),
                latencyWindows: Array.IndexOf(args, "--latency-windows") is var lw and >= 0 && lw + 1 < args.Length
                    ? int.Parse(args[lw + 1], System.Globalization.CultureInfo.InvariantCulture) : null,
                parts: SweepParts(args));
            return;
        }

        if (args.Length > 0 && args[0] == "telemetry-period")
        {
            int connections = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
            int rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 60;
            Telemetry.TelemetryPeriodInterleaved.Run(connections, rounds, args.Length > 3 && !args[3].StartsWith("--", StringComparison.Ordinal) ? args[3].Split(',') : [], Console.Out, SweepParts(args));
            return;
        }

        if (args.Length > 0 && args[0] == "line-sweep")
        {
            int connections = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
            int rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
            Telemetry.SweepFloor.RunLineSweep(connections, rounds, Console.Out);
            return;
        }

        if (args.Length > 0 && args[0] == "wake-cost")
        {
            int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
            Telemetry.SweepFloor.RunWakeCost(rounds, Console.Out);
            return;
        }

        if (args.Length > 0 && args[0] == "line-sharing")
        {
            int lines = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
            int rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
            Telemetry.LineSharing.Run(lines, rounds, Console.Out);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    /// <summary>The value of <c>--sweep</c> (default <c>all</c>).</summary>
    private static Offload.Nic.Telemetry.SweepParts SweepParts(string[] args)
    {
        int at = Array.IndexOf(args, "--sweep");
        if (at < 0)
        {
            return Offload.Nic.Telemetry.SweepParts.All;
        }

        return at + 1 < args.Length ? args[at + 1] switch
        {
            "all" => Offload.Nic.Telemetry.SweepParts.All,
            "no-connection-records" => Offload.Nic.Telemetry.SweepParts.NoConnectionRecords,
            "no-lines" => Offload.Nic.Telemetry.SweepParts.NoLines,
            var other => throw new ArgumentException($"--sweep {other}: expected all, no-connection-records or no-lines"),
        } : throw new ArgumentException("--sweep needs a value: all, no-connection-records or no-lines");
    }
}
