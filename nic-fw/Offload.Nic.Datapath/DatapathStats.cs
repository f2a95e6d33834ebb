namespace Offload.Nic.Datapath;

/// <summary>Datapath counters, written by the poll thread; read anywhere (values may be slightly stale).</summary>
public sealed class DatapathStats
{
    internal long RxPackets;
    internal long TxPackets;
    internal long EmcHits;
    internal long MegaflowHits;
    internal long Misses;
    internal long Upcalls;
    internal long HeldPackets;
    internal long FlowsInstalled;
    internal long FlowsRejected;
    internal long FlowsEvicted;
    internal long FlowsExpired;
    internal long CongestionMarked;
    internal long RateAdvertised;
    internal long RateUnstamped;
    internal long ControllerPackets;
    internal long UpcallsRefused;

    /// <summary>Drops by reason.</summary>
    public DropCounters Drops { get; } = new();

    /// <summary>Frames received.</summary>
    public long Received => Volatile.Read(ref RxPackets);

    /// <summary>Frames accepted by output ports.</summary>
    public long Transmitted => Volatile.Read(ref TxPackets);

    /// <summary>Exact-match cache hits.</summary>
    public long ExactMatchHits => Volatile.Read(ref EmcHits);

    /// <summary>Megaflow classifier hits (EMC misses).</summary>
    public long ClassifierHits => Volatile.Read(ref MegaflowHits);

    /// <summary>Packets that matched no flow.</summary>
    public long FlowMisses => Volatile.Read(ref Misses);

    /// <summary>Miss upcalls sent.</summary>
    public long UpcallsSent => Volatile.Read(ref Upcalls);

    /// <summary>Packets held for an outstanding upcall (including ones that joined an outstanding upcall).</summary>
    public long PacketsHeld => Volatile.Read(ref HeldPackets);

    /// <summary>Flows installed (new).</summary>
    public long Installed => Volatile.Read(ref FlowsInstalled);

    /// <summary>Installs refused at the flow limit.</summary>
    public long Rejected => Volatile.Read(ref FlowsRejected);

    /// <summary>Flows evicted at the flow limit.</summary>
    public long Evicted => Volatile.Read(ref FlowsEvicted);

    /// <summary>Flows removed by idle or hard timeout.</summary>
    public long Expired => Volatile.Read(ref FlowsExpired);

    /// <summary>Packets marked ECN CE by congestion stamping.</summary>
    public long Marked => Volatile.Read(ref CongestionMarked);

    /// <summary>Packets that received a rate-advertisement option.</summary>
    public long RateOptionsInserted => Volatile.Read(ref RateAdvertised);

    /// <summary>Packets a rate-advertisement action left unstamped although a rate was set: no room for the option in
    /// the IPv4 header, or the packet would have grown past the 1,500-byte MTU (a full-size segment).</summary>
    public long RateOptionsSkipped => Volatile.Read(ref RateUnstamped);

    /// <summary>Misses that could not go up (upcall rate limit, held queue or upcall queue full); the packet was dropped.</summary>
    public long UpcallsDropped => Volatile.Read(ref UpcallsRefused);

    /// <summary>Packets sent to the controller by the controller action.</summary>
    public long PacketsToController => Volatile.Read(ref ControllerPackets);
}
