using System.Globalization;

namespace Offload.Emulation.LoadGen;

/// <summary>What one load run measured. Latencies are from command send to completion, in microseconds.</summary>
public sealed record LoadReport(
    long Reads,
    long Writes,
    long Errors,
    long VerifyFailures,
    long BytesMoved,
    TimeSpan Elapsed,
    double P50Microseconds,
    double P99Microseconds,
    double P999Microseconds,
    double MaxMicroseconds)
{
    /// <summary>True when every I/O queue ran with both header and data digests.</summary>
    public bool Digests { get; init; }

    /// <summary>Bytes allocated by the whole process while the workers ran (GC.GetTotalAllocatedBytes).</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Allocated bytes per completed I/O over the run (includes worker start-up; ~0 in steady state).</summary>
    public double AllocatedBytesPerIo => Reads + Writes == 0 ? 0 : (double)AllocatedBytes / (Reads + Writes);

    /// <summary>Completed I/Os per second.</summary>
    public double Iops => (Reads + Writes) / Elapsed.TotalSeconds;

    /// <summary>MB/s (10^6 bytes).</summary>
    public double MegabytesPerSecond => BytesMoved / Elapsed.TotalSeconds / 1e6;

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"IOPS {Iops:F0}  MB/s {MegabytesPerSecond:F1}  p50 {P50Microseconds:F1} us  p99 {P99Microseconds:F1} us  p999 {P999Microseconds:F1} us  max {MaxMicroseconds:F1} us  " +
        $"reads {Reads} writes {Writes} errors {Errors} verify-failures {VerifyFailures} in {Elapsed.TotalSeconds:F2} s  alloc {AllocatedBytesPerIo:F2} B/IO");
}
