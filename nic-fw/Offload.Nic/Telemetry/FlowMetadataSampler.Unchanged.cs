using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Telemetry;

/// <summary>
/// Idle connections' records kept from the previous period. A packed record stays in place from one period to the next
/// (record k of a period is at the same offset of the packed buffer). When record k was last period's record of the same
/// connection, none of the connection's counters moved, its rate averages have settled at 0 and no latency window ends
/// now, every field of its record is what it was, but the queue depths and time-averaged depths, which are compared and
/// rewritten when they differ. Such a record is not measured again, and a block of 128 records all kept unchanged keeps
/// last period's CRC register: at 10,000 mostly idle connections the period reads each line and its slot but writes
/// and CRCs only what moved.
/// </summary>
internal sealed partial class FlowMetadataSampler
{
    /// <summary>Keep unchanged records instead of measuring them again (default; tests compare with it off).</summary>
    internal bool KeepUnchanged { get; set; } = true;

    /// <summary>Records kept rather than measured since the sampler started.</summary>
    internal long KeptRecords { get; private set; }

    /// <summary>The connection whose record each packed position held when last written.</summary>
    private long[] _recordOwners = [];

    /// <summary>Records packed in the previous period (positions past it are stale).</summary>
    private int _lastPeriodRecords;

    /// <summary>Whether a record of the block being packed was measured or changed.</summary>
    private bool _blockChanged;

    /// <summary>Whether last period's record shows no activity at all (every rate 0): with no counter moved since, this
    /// period's are 0 too.</summary>
    private static bool AllRatesZero(ref PackedFlowRecord.Layout r) =>
        r.ReadRate == 0 && r.WriteRate == 0 && r.ReadRateWindow == 0 && r.WriteRateWindow == 0 && r.PacketRate == 0 && r.BitRate == 0
        && r.ReadBytesRate == 0 && r.WriteBytesRate == 0 && r.CpuNanosPerSecond == 0;

    private void Owned(int at, long connection)
    {
        if (at >= _recordOwners.Length)
        {
            Array.Resize(ref _recordOwners, Math.Max(at + 1, 2 * _recordOwners.Length));
        }

        _recordOwners[at] = connection;
    }

    /// <summary>Whether block <paramref name="block"/> was whole in the previous period (its register covers 128 records
    /// that were all written then).</summary>
    private bool WholeLastPeriod(int block) => (block + 1) * CrcBlockRecords <= _lastPeriodRecords;

    /// <summary>Keeps record <paramref name="at"/> as it is when it is last period's record of this connection and nothing
    /// in it can have changed but the queue fields, which are rewritten (<paramref name="rewritten"/>) when they
    /// differ; false: the record must be measured.</summary>
    private bool TryKeep(ref ConnectionLine line, ref ConnectionSlot state, ref PackedFlowRecord.Layout record, int at,
        double sqAverage, double cqAverage, out bool rewritten)
    {
        rewritten = false;
        if (at >= _lastPeriodRecords || _recordOwners[at] != state.Connection || !state.HasEwma || state.ReadEwma != 0
            || state.WriteEwma != 0 || !AllRatesZero(ref record)
            || Volatile.Read(ref line.ReadCommands) != state.ReadCommands || Volatile.Read(ref line.WriteCommands) != state.WriteCommands
            || Volatile.Read(ref line.BytesRead) != state.BytesRead || Volatile.Read(ref line.BytesWritten) != state.BytesWritten
            || Volatile.Read(ref line.Pdus) != state.Pdus
            || ConnectionCounters.TicksToNanoseconds(Volatile.Read(ref line.CpuTicks)) != state.CpuNanoseconds)
        {
            return false;
        }

        // Latency: kept only when Measure would leave the percentiles as they are (no window ends, or, before the
        // first window, still no completion), and its countdown runs the same way.
        if (state.LatencyMeasured ? state.LatencyCountdown <= 1 : state.ReadCommands + state.WriteCommands != state.CompletedAtLatency)
        {
            return false;
        }

        if (--state.LatencyCountdown <= 0)
        {
            state.LatencyCountdown = _latencyEvery;
        }

        KeptRecords++;

        int sqSize = Volatile.Read(ref line.Submission.QueueSize), cqSize = Volatile.Read(ref line.Completion.QueueSize);
        var sqLevel = (byte)Thresholds.Classify(sqAverage, sqSize);
        var cqLevel = (byte)Thresholds.Classify(cqAverage, cqSize);
        var sqDepth = (uint)Math.Max(0, Volatile.Read(ref line.Submission.Depth));
        var cqDepth = (uint)Math.Max(0, Volatile.Read(ref line.Completion.Depth));
        float sq = (float)sqAverage, cq = (float)cqAverage;
        if (record.SqLevel != sqLevel || record.CqLevel != cqLevel || record.SqDepth != sqDepth || record.CqDepth != cqDepth
            || BitConverter.SingleToInt32Bits(record.SqAverage) != BitConverter.SingleToInt32Bits(sq)
            || BitConverter.SingleToInt32Bits(record.CqAverage) != BitConverter.SingleToInt32Bits(cq))
        {
            (record.SqLevel, record.CqLevel, record.SqDepth, record.CqDepth, record.SqAverage, record.CqAverage) = (sqLevel, cqLevel, sqDepth, cqDepth, sq, cq);
            rewritten = true;
        }

        return true;
    }
}
