using System.Diagnostics;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Benchmarks.Telemetry;

/// <summary>
/// What aligning the telemetry lines to cache lines saves the I/O path: two threads (two poll groups) count into
/// alternate connections' lines, as connections assigned round-robin to poll groups sit on neighbouring lines. Per
/// count: a read (two interlocked adds on the counters), an SQ and a CQ depth change. With the lines 64-byte aligned
/// (<see cref="LineArray"/>) each connection owns two whole cache lines; with the old layout (skew 16: a managed array's
/// elements start 16 bytes into the object) a line's CQ state shares a cache line with the next connection's counters,
/// so the two threads write to one cache line. Rounds alternate the two layouts in one process; medians per layout.
/// </summary>
public static class LineSharing
{
    public static void Run(int lines, int rounds, TextWriter output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lines, 2);
        var aligned = new LineArray(lines, pinned: true, skew: 0);
        var skewed = new LineArray(lines, pinned: true, skew: 16);
        Measure(aligned, lines, 20_000_000 / lines); // warm-up (JIT)
        Measure(skewed, lines, 20_000_000 / lines);
        var results = new Dictionary<string, List<double>> { ["aligned (64 B)"] = [], ["old layout (skew 16)"] = [] };
        int passes = Math.Max(1, 40_000_000 / lines);
        for (int round = 0; round < rounds; round++)
        {
            results["aligned (64 B)"].Add(Measure(aligned, lines, passes));
            results["old layout (skew 16)"].Add(Measure(skewed, lines, passes));
        }

        var managed = new ConnectionLine[1024][];
        for (int i = 0; i < managed.Length; i++)
        {
            managed[i] = new ConnectionLine[TelemetrySlab.LinesPerChunk]; // what a chunk was before the aligned lines
        }

        var starts = managed.Select(ManagedStart).GroupBy(x => x).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine($"the old chunk array's first line, address % 64, over {managed.Length} allocations: {string.Join(", ", starts)}");
        output.WriteLine($"{lines} lines, 2 threads on alternate lines, {rounds} rounds x {passes} passes per layout, alternated (ns per count: a read and two depth changes)");
        output.WriteLine("| layout | median | min | max | median / aligned |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        double baseline = Quantiles.Median(results["aligned (64 B)"]);
        foreach (var (name, values) in results)
        {
            output.WriteLine(FormattableString.Invariant($"| {name} | {Quantiles.Median(values):F1} | {values.Min():F1} | {values.Max():F1} | {Quantiles.Median(values) / baseline:F2} |"));
        }
    }

    /// <summary>Nanoseconds per count, over both threads' counts.</summary>
    private static double Measure(LineArray lines, int count, int passes)
    {
        using var start = new Barrier(3);
        var threads = new Thread[2];
        for (int t = 0; t < 2; t++)
        {
            int first = t;
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                for (int pass = 0; pass < passes; pass++)
                {
                    for (int i = first; i < count; i += 2)
                    {
                        ref var line = ref lines[i];
                        Interlocked.Increment(ref line.ReadCommands);
                        Interlocked.Add(ref line.BytesRead, 4096);
                        Volatile.Write(ref line.Submission.LastChange, pass);
                        Volatile.Write(ref line.Submission.Depth, pass & 31);
                        Volatile.Write(ref line.Completion.LastChange, pass);
                        Volatile.Write(ref line.Completion.Depth, pass & 31);
                    }
                }
            }) { IsBackground = true };
            threads[t].Start();
        }

        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        return clock.Elapsed.TotalNanoseconds / ((double)passes * count);
    }

    private static unsafe long ManagedStart(ConnectionLine[] array)
    {
        fixed (ConnectionLine* first = array)
        {
            return (long)first % 64;
        }
    }
}
