using System.Buffers.Binary;
using Offload.Nic.Datapath.Port;

namespace Offload.Benchmarks.Upcall;

/// <summary>
/// Port 1 of the upcall-path benchmark: emits frames from a new source MAC each (so each one is a new flow for the
/// learning switch) toward a fixed destination, at most <see cref="Window"/> frames in flight (not yet transmitted on
/// port 2), and only while <see cref="Target"/> has not been reached.
/// </summary>
internal sealed class FlowSetupPort(ulong destination) : IPort
{
    private readonly byte[] _frame = CreateFrame(destination);
    private long _sent;
    private long _target;
    private long _transmitted;
    private ulong _nextSource = 0x02_10_00_00_00_00;

    public int Window { get; init; } = 512;

    public string Name => "flow-setup";

    public long Transmitted => Volatile.Read(ref _transmitted);

    public long Target => Volatile.Read(ref _target);

    /// <summary>Asks for <paramref name="count"/> more new flows.</summary>
    public void Request(long count) => Interlocked.Add(ref _target, count);

    /// <summary>Port 2's transmit side: counts frames that left the switch.</summary>
    public IPort Egress => new EgressPort(this);

    public int ReceiveBurst(FrameBatch batch)
    {
        long room = Math.Min(Target - _sent, Window - (_sent - Transmitted));
        int n = 0;
        while (n < room && batch.Free > 0)
        {
            ulong source = _nextSource++;
            BinaryPrimitives.WriteUInt16BigEndian(_frame.AsSpan(6), (ushort)(source >> 32));
            BinaryPrimitives.WriteUInt32BigEndian(_frame.AsSpan(8), (uint)source);
            batch.TryAdd(_frame);
            n++;
        }

        _sent += n;
        return n;
    }

    public int TransmitBurst(FrameBatch batch) => batch.Count;

    public void Dispose()
    {
    }

    private static byte[] CreateFrame(ulong destination)
    {
        var frame = new byte[64];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)(destination >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(2), (uint)destination);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        frame[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), 46);
        frame[22] = 64;
        frame[23] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(38), 26);
        return frame;
    }

    private sealed class EgressPort(FlowSetupPort owner) : IPort
    {
        public string Name => "egress";

        public int ReceiveBurst(FrameBatch batch) => 0;

        public int TransmitBurst(FrameBatch batch)
        {
            Interlocked.Add(ref owner._transmitted, batch.Count);
            return batch.Count;
        }

        public void Dispose()
        {
        }
    }
}
