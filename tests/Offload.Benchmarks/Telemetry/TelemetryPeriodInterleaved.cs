using System.Diagnostics;
using System.Globalization;
using Offload.Nic.Telemetry;

namespace Offload.Benchmarks.Telemetry;

/// <summary>
/// <c>telemetry-period [connections] [rounds]</c>: the <see cref="TelemetryPeriodBenchmarks"/> methods timed call by
/// call, interleaved in blocks of 20 calls per method per round, reported as medians and quartiles. On a shared VM
/// whose speed drifts within minutes, BenchmarkDotNet's runs of one method after another can differ by more than the
/// change being measured; interleaving puts every method under the same drift, and the median ignores the neighbours'
/// bursts.
/// </summary>
public static class TelemetryPeriodInterleaved
{
    private const int CallsPerBlock = 20;

    /// <summary>Runs the named methods (default: <c>FrameOnly,Period,PeriodWholeFrames</c>, all on idle connections;
    /// <c>WithIo,IoOnly</c> leave every connection active for the next ~20 s of EWMA decay, so time them apart).</summary>
    public static void Run(int connections, int rounds, IReadOnlyList<string> names, TextWriter output, SweepParts parts = SweepParts.All)
    {
        var bench = new TelemetryPeriodBenchmarks { Connections = connections, Parts = parts };
        bench.Setup();
        try
        {
            var all = new Dictionary<string, Func<int>>(StringComparer.OrdinalIgnoreCase)
            {
                ["FrameOnly"] = bench.FrameOnly,
                ["Period"] = bench.Period,
                ["PeriodWholeFrames"] = bench.PeriodWholeFrames,
                ["PeriodMeasuringEveryRecord"] = bench.PeriodMeasuringEveryRecord,
                ["WithIo"] = bench.WithIo,
                ["IoOnly"] = bench.IoOnly,
            };
            var methods = (names.Count > 0 ? names : ["FrameOnly", "Period", "PeriodWholeFrames"])
                .Select(n => all.TryGetValue(n, out var call) ? (Name: n, Call: call) : throw new ArgumentException($"unknown method {n}; known: {string.Join(", ", all.Keys)}"))
                .ToArray();

            // Warm-up: enough calls for tiered compilation to settle (rejitting waits for 30 calls and 100 ms of quiet).
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < TimeSpan.FromSeconds(3))
            {
                foreach (var (_, call) in methods)
                {
                    call();
                }
            }

            var times = methods.Select(_ => new List<double>()).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int m = 0; m < methods.Length; m++)
                {
                    for (int i = 0; i < CallsPerBlock; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        methods[m].Call();
                        double micros = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                        times[m].Add(micros);
                    }
                }

                if ((round + 1) % 10 == 0)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1}/{rounds}"));
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{connections} connections, {rounds} rounds x {CallsPerBlock} calls per method, interleaved (µs per call){(parts != SweepParts.All ? $", sweep parts {parts}" : "")}"));
            output.WriteLine("| method | median | p25 | p75 | median / FrameOnly |");
            output.WriteLine("|---|---:|---:|---:|---:|");
            double baseline = Quantiles.Of(times[0], 0.5);
            for (int m = 0; m < methods.Length; m++)
            {
                double median = Quantiles.Of(times[m], 0.5);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {methods[m].Name} | {median:F1} | {Quantiles.Of(times[m], 0.25):F1} | {Quantiles.Of(times[m], 0.75):F1} | {median / baseline:F2} |"));
            }
        }
        finally
        {
            bench.Cleanup();
        }
    }
}
