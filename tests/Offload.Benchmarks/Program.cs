using System.Globalization;
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
        switch (args.Length > 0 ? args[0] : null)
        {
            case "occupancy-loop":
                Telemetry.OccupancyLoopCpu.Run(Int(args, 1, 10_000), TimeSpan.FromSeconds(Double(args, 2, 5)), Console.Out);
                return;
            case "telemetry-loop":
                Telemetry.TelemetryLoopCpu.Run(Int(args, 1, 10_000), TimeSpan.FromSeconds(Double(args, 2, 10)), Console.Out, simulatedIo: !args.Contains("--no-io"), sharedMemory: args.Contains("--shm"), ioWithinLow: args.Contains("--io-within-low"),
                    signalCoalescing: Value(args, "--signal-coalescing") is { } sc ? TimeSpan.FromMilliseconds(double.Parse(sc, CultureInfo.InvariantCulture)) : null,
                    thresholdBudget: Value(args, "--threshold-budget") is { } tb ? double.Parse(tb, CultureInfo.InvariantCulture) : null,
                    baseline: !args.Contains("--no-baseline"),
                    latencyWindows: Value(args, "--latency-windows") is { } lw ? int.Parse(lw, CultureInfo.InvariantCulture) : null,
                    parts: SweepParts(args));
                return;
            case "telemetry-period":
                Telemetry.TelemetryPeriodInterleaved.Run(Int(args, 1, 10_000), Int(args, 2, 60), args.Length > 3 && !args[3].StartsWith("--", StringComparison.Ordinal) ? args[3].Split(',') : [], Console.Out, SweepParts(args));
                return;
            case "line-sweep":
                Telemetry.SweepFloor.RunLineSweep(Int(args, 1, 10_000), Int(args, 2, 5), Console.Out);
                return;
            case "wake-cost":
                Telemetry.SweepFloor.RunWakeCost(Int(args, 1, 3), Console.Out);
                return;
            case "line-sharing":
                Telemetry.LineSharing.Run(Int(args, 1, 10_000), Int(args, 2, 20), Console.Out);
                return;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return;
        }
    }

    /// <summary>Positional argument <paramref name="index"/> as an integer, or <paramref name="fallback"/> when absent.</summary>
    private static int Int(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    /// <summary>Positional argument <paramref name="index"/> as a number, or <paramref name="fallback"/> when absent.</summary>
    private static double Double(string[] args, int index, double fallback) =>
        args.Length > index ? double.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    /// <summary>The value after option <paramref name="name"/>; null when the option (or its value) is absent.</summary>
    private static string? Value(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

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
