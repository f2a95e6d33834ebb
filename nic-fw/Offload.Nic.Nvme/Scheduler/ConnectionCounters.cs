using System.Diagnostics;
using System.Net;
using Offload.Contracts.Messages;

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

    private long _readCommands;
    private long _writeCommands;
    private long _bytesRead;
    private long _bytesWritten;
    private long _cpuTicks;
    private long _pdus;

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

    /// <summary>The telemetry sampler that keeps this connection's memory between report periods in its slot
    /// <see cref="TelemetrySlot"/> (so a sampler of 10,000 connections needs no lookup table); not touched by I/O.</summary>
    public object? TelemetryOwner { get; set; }

    /// <summary>Index of this connection's slot in <see cref="TelemetryOwner"/>'s table.</summary>
    public int TelemetrySlot { get; set; }

    // Readers (the telemetry sampler's thread) use plain acquire loads, not Interlocked.Read (a locked
    // compare-exchange on x64: six per connection per period cost more than the rest of the sample): an aligned 64-bit
    // field is read whole on the 64-bit targets nic-fw ships for (x64, arm64), and each counter only grows, so a reading
    // is at worst a few increments old.
    public long ReadCommands => Volatile.Read(ref _readCommands);

    public long WriteCommands => Volatile.Read(ref _writeCommands);

    public long BytesRead => Volatile.Read(ref _bytesRead);

    public long BytesWritten => Volatile.Read(ref _bytesWritten);

    public long CpuNanoseconds => (long)(Volatile.Read(ref _cpuTicks) * (1e9 / Stopwatch.Frequency));

    public long Pdus => Volatile.Read(ref _pdus);

    internal void CountRead(int bytes)
    {
        Interlocked.Increment(ref _readCommands);
        Interlocked.Add(ref _bytesRead, bytes);
    }

    internal void CountWrite(int bytes)
    {
        Interlocked.Increment(ref _writeCommands);
        Interlocked.Add(ref _bytesWritten, bytes);
    }

    internal void CountPdu() => Interlocked.Increment(ref _pdus);

    internal void AddCpuTicks(long ticks) => Interlocked.Add(ref _cpuTicks, ticks);

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
