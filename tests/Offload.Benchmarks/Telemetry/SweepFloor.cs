using System.Diagnostics;

namespace Offload.Benchmarks.Telemetry;

/// <summary>
/// Two floors under the reporter thread's cost, measured on the machine at hand:
/// <list type="bullet">
/// <item><c>line-sweep</c>: a sweep that only reads one word of each 64-byte cache line of N connections (1, 2, 4, 8 or
/// 16 lines each, in order, every 10 ms), with another thread writing every line of every connection every 10 ms, or
/// no writer (the same-run baseline). It prices a cache line the sweep streams in, written by another core or not.</item>
/// <item><c>wake-cost</c>: a thread that only waits on a monitor with a timeout (1 ms and 10 ms) and wakes; its CPU time
/// per wake-up (schedstat), the price of each pass the reporter wakes for.</item>
/// </list>
/// Rounds alternate the variants in one process; medians.
/// </summary>
public static class SweepFloor
{
    public static void RunLineSweep(int connections, int rounds, TextWriter output)
    {
        output.WriteLine($"{connections} connections, one word read per 64-byte line, sweeps every 10 ms, {rounds} rounds of 100 sweeps per variant, alternated (ns per connection per sweep, median of rounds)");
        output.WriteLine("| lines per connection | writer off | writer on (other core) | on / off |");
        output.WriteLine("|---:|---:|---:|---:|");
        foreach (int lines in new[] { 1, 2, 4, 8, 16 })
        {
            var off = new List<double>();
            var on = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                off.Add(Sweep(connections, lines, write: false));
                on.Add(Sweep(connections, lines, write: true));
            }

            output.WriteLine(FormattableString.Invariant($"| {lines} | {Quantiles.Median(off):F1} | {Quantiles.Median(on):F1} | {Quantiles.Median(on) / Quantiles.Median(off):F2} |"));
        }
    }

    public static void RunWakeCost(int rounds, TextWriter output)
    {
        output.WriteLine($"a thread that only waits on a monitor with a timeout, {rounds} rounds of 2 s per timeout, alternated (CPU time of the thread from schedstat)");
        output.WriteLine("| timeout | wake-ups/s | % of a core | µs of CPU per wake-up |");
        output.WriteLine("|---:|---:|---:|---:|");
        var results = new Dictionary<int, List<(double Rate, double Share, double PerWake)>> { [1] = [], [10] = [] };
        for (int round = 0; round < rounds; round++)
        {
            foreach (int ms in results.Keys)
            {
                results[ms].Add(Wake(ms, TimeSpan.FromSeconds(2)));
            }
        }

        foreach (var (ms, values) in results)
        {
            output.WriteLine(FormattableString.Invariant(
                $"| {ms} ms | {Quantiles.Median(values.Select(v => v.Rate)):F0} | {Quantiles.Median(values.Select(v => v.Share)):P2} | {Quantiles.Median(values.Select(v => v.PerWake)):F1} |"));
        }
    }

    /// <summary>Median ns per connection of 100 sweeps (after 20 unmeasured ones).</summary>
    private static double Sweep(int connections, int lines, bool write)
    {
        int stride = 64 * lines;
        long[] memory = GC.AllocateArray<long>((connections * stride / 8) + 8, pinned: true);
        bool stop = false;
        var writer = new Thread(() =>
        {
            long value = 0;
            while (!Volatile.Read(ref stop))
            {
                if (write)
                {
                    value++;
                    for (int i = 0; i < connections; i++)
                    {
                        for (int l = 0; l < lines; l++)
                        {
                            memory[((i * stride) + (l * 64)) / 8] += value;
                        }
                    }
                }

                Thread.Sleep(10);
            }
        }) { IsBackground = true };
        writer.Start();
        var times = new List<double>();
        long sum = 0;
        for (int sweep = 0; sweep < 120; sweep++)
        {
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < connections; i++)
            {
                for (int l = 0; l < lines; l++)
                {
                    sum += Volatile.Read(ref memory[(((i * stride) + (l * 64)) / 8) + 1]);
                }
            }

            long ended = Stopwatch.GetTimestamp();
            if (sweep >= 20)
            {
                times.Add((ended - started) * 1e9 / Stopwatch.Frequency / connections);
            }

            Thread.Sleep(10);
        }

        Volatile.Write(ref stop, true);
        writer.Join();
        GC.KeepAlive(sum);
        return Quantiles.Median(times);
    }

    private static (double Rate, double Share, double PerWake) Wake(int milliseconds, TimeSpan duration)
    {
        var gate = new object();
        long wakes = 0;
        int task = 0;
        bool stop = false;
        using var ready = new ManualResetEventSlim();
        var waiter = new Thread(() =>
        {
            task = int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            ready.Set();
            while (!Volatile.Read(ref stop))
            {
                lock (gate)
                {
                    Monitor.Wait(gate, milliseconds);
                }

                Interlocked.Increment(ref wakes);
            }
        }) { IsBackground = true };
        waiter.Start();
        ready.Wait();
        Thread.Sleep(200);
        long run0 = TelemetryLoopCpu.TaskRunNanoseconds(task), wakes0 = Interlocked.Read(ref wakes);
        var clock = Stopwatch.StartNew();
        Thread.Sleep(duration);
        long run1 = TelemetryLoopCpu.TaskRunNanoseconds(task), wakes1 = Interlocked.Read(ref wakes);
        double seconds = clock.Elapsed.TotalSeconds;
        Volatile.Write(ref stop, true);
        waiter.Join();
        long n = Math.Max(1, wakes1 - wakes0);
        return (n / seconds, (run1 - run0) / 1e9 / seconds, (run1 - run0) / 1e3 / n);
    }
}
