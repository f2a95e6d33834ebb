using System.Diagnostics;
using System.Net;
using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Cumulative counters of one NVMe/TCP I/O connection (one queue pair = one TCP 5-tuple = one flow): the same figures
/// the controller keeps per application (<see cref="ApplicationCounters"/>), updated at the same places, so an
/// application's counters are the sum of its connections'. Each update is one interlocked add on a cache line only
/// this connection's I/O touches; the latency histogram is recorded once per completed Read/Write. The 5-tuple is
/// learnt once, on the first telemetry read after the queue pair knows its socket.
/// </summary>
public sealed class ConnectionCounters
{
    private static long s_nextId;

    private readonly TelemetryCell _cell;

    /// <summary>Counters on a private line, seen by no slab sweep (tests and tools).</summary>
    public ConnectionCounters()
        : this(null)
    {
    }

    /// <summary>Counters on a line of <paramref name="slab"/> (null: a private line), visible to the slab's readers once
    /// <see cref="Describe"/>d; <see cref="Release"/> returns the line.</summary>
    public ConnectionCounters(TelemetrySlab? slab)
    {
        _cell = slab is null ? new TelemetryCell() : new TelemetryCell(slab.Rent(this));
    }

    /// <summary>The line this connection's counters and queues count in (its queues' <see cref="QueueOccupancy"/>
    /// share it).</summary>
    public TelemetryCell Cell => _cell;

    /// <summary>Unique for the life of the process (never reused), so a reading taken before a reconnect never
    /// subtracts from one taken after.</summary>
    public long Id { get; } = Interlocked.Increment(ref s_nextId);

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Host side of the connection (the TCP peer).</summary>
    public FlowAddress Remote { get; private set; }

    public ushort RemotePort { get; private set; }

    /// <summary>NIC side of the connection (the listener's address and port).</summary>
    public FlowAddress Local { get; private set; }

    public ushort LocalPort { get; private set; }

    public bool HasEndpoints { get; private set; }

    /// <summary>The application, controller and queue this connection serves once <see cref="Describe"/>d.</summary>
    public AppId App { get; private set; }

    public ControllerId Controller { get; private set; }

    public ushort QueueId { get; private set; }

    // Readers (the telemetry sampler's thread) use plain acquire loads, not Interlocked.Read (a locked
    // compare-exchange on x64: six per connection per period cost more than the rest of the sample): an aligned 64-bit
    // field is read whole on the 64-bit targets nic-fw ships for (x64, arm64), and each counter only grows, so a reading
    // is at worst a few increments old.
    public long ReadCommands => Volatile.Read(ref _cell.Line.ReadCommands);

    public long WriteCommands => Volatile.Read(ref _cell.Line.WriteCommands);

    public long BytesRead => Volatile.Read(ref _cell.Line.BytesRead);

    public long BytesWritten => Volatile.Read(ref _cell.Line.BytesWritten);

    public long CpuNanoseconds => TicksToNanoseconds(Volatile.Read(ref _cell.Line.CpuTicks));

    public long Pdus => Volatile.Read(ref _cell.Line.Pdus);

    /// <summary>CPU ticks (<see cref="Stopwatch"/>) as nanoseconds.</summary>
    public static long TicksToNanoseconds(long ticks) => (long)(ticks * NanosecondsPerTick);

    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    internal void CountRead(int bytes)
    {
        ref var line = ref _cell.Line;
        Interlocked.Increment(ref line.ReadCommands);
        Interlocked.Add(ref line.BytesRead, bytes);
    }

    internal void CountWrite(int bytes)
    {
        ref var line = ref _cell.Line;
        Interlocked.Increment(ref line.WriteCommands);
        Interlocked.Add(ref line.BytesWritten, bytes);
    }

    internal void CountPdu() => Interlocked.Increment(ref _cell.Line.Pdus);

    internal void AddCpuTicks(long ticks) => Interlocked.Add(ref _cell.Line.CpuTicks, ticks);

    /// <summary>Names the application, controller and queue (at Connect) and makes the line visible to the slab's
    /// readers; the 5-tuple should be set first (<see cref="SetEndpoints"/>).</summary>
    public void Describe(AppId app, ControllerId controller, ushort queueId)
    {
        (App, Controller, QueueId) = (app, controller, queueId);
        TelemetrySlab.Publish(_cell.Handle, Id);
    }

    /// <summary>Hides the line from the slab's readers (the queue pair left its controller); counting goes on.</summary>
    public void Withdraw() => TelemetrySlab.Publish(_cell.Handle, 0);

    /// <summary>Moves the counters and both queues to a private line and frees the slab line (after the last I/O).</summary>
    public void Release() => _cell.Release();

    /// <summary>Records the 5-tuple (TCP); called once, off the I/O path.</summary>
    internal void SetEndpoints(EndPoint? local, EndPoint? remote)
    {
        if (local is IPEndPoint l)
        {
            Local = FlowAddress.FromIPAddress(l.Address.IsIPv4MappedToIPv6 ? l.Address.MapToIPv4() : l.Address);
            LocalPort = (ushort)l.Port;
        }

        if (remote is IPEndPoint r)
        {
            Remote = FlowAddress.FromIPAddress(r.Address.IsIPv4MappedToIPv6 ? r.Address.MapToIPv4() : r.Address);
            RemotePort = (ushort)r.Port;
        }

        HasEndpoints = true;
    }
}
