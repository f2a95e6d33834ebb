namespace Offload.Contracts.Mailbox;

/// <summary>Per-endpoint mailbox counters. Thread-safe; read them as a <see cref="Snapshot"/>.</summary>
public sealed class MailboxCounters
{
    private long _framesIn;
    private long _framesOut;
    private long _bytesIn;
    private long _bytesOut;
    private long _oversize;
    private long _undersize;
    private long _badMagic;
    private long _badCrc;
    private long _truncated;
    private long _malformed;
    private long _peersLost;
    private long _connects;
    private long _handshakeFailures;
    private int _loggedReasons;

    /// <summary>Log-once keys beyond the <see cref="FrameStatus"/> values.</summary>
    internal const int TruncatedReason = 16;
    internal const int MalformedReason = 17;

    public readonly record struct Snapshot(
        long FramesIn, long FramesOut, long BytesIn, long BytesOut,
        long Oversize, long Undersize, long BadMagic, long BadCrc, long Truncated, long Malformed,
        long PeersLost, long Connects, long HandshakeFailures)
    {
        public long BadFrames => Oversize + Undersize + BadMagic + BadCrc + Truncated + Malformed;
    }

    public Messages.DecodeStatistics Decode { get; } = new();

    public Snapshot Read() => new(
        Interlocked.Read(ref _framesIn), Interlocked.Read(ref _framesOut), Interlocked.Read(ref _bytesIn), Interlocked.Read(ref _bytesOut),
        Interlocked.Read(ref _oversize), Interlocked.Read(ref _undersize), Interlocked.Read(ref _badMagic), Interlocked.Read(ref _badCrc),
        Interlocked.Read(ref _truncated), Interlocked.Read(ref _malformed), Interlocked.Read(ref _peersLost), Interlocked.Read(ref _connects),
        Interlocked.Read(ref _handshakeFailures));

    internal void FrameIn(long size)
    {
        Interlocked.Increment(ref _framesIn);
        Interlocked.Add(ref _bytesIn, size);
    }

    internal void FrameOut(long size)
    {
        Interlocked.Increment(ref _framesOut);
        Interlocked.Add(ref _bytesOut, size);
    }

    internal void PeerLost() => Interlocked.Increment(ref _peersLost);

    internal void Connected() => Interlocked.Increment(ref _connects);

    internal void HandshakeFailed() => Interlocked.Increment(ref _handshakeFailures);

    internal void Malformed() => Interlocked.Increment(ref _malformed);

    internal void Truncated() => Interlocked.Increment(ref _truncated);

    internal void BadFrame(FrameStatus status)
    {
        switch (status)
        {
            case FrameStatus.Oversize: Interlocked.Increment(ref _oversize); break;
            case FrameStatus.Undersize: Interlocked.Increment(ref _undersize); break;
            case FrameStatus.BadMagic: Interlocked.Increment(ref _badMagic); break;
            case FrameStatus.BadCrc: Interlocked.Increment(ref _badCrc); break;
            default: break;
        }
    }

    /// <summary>True the first time a reason is seen, so each bad-frame reason is logged once, then only counted.</summary>
    internal bool IsFirst(int reasonBit)
    {
        int bit = 1 << reasonBit;
        int old = Interlocked.Or(ref _loggedReasons, bit);
        return (old & bit) == 0;
    }
}
