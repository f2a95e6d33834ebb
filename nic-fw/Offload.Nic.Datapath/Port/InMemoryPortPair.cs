namespace Offload.Nic.Datapath.Port;

/// <summary>
/// An in-memory cable: <see cref="SwitchSide"/> plugs into the datapath; the test or benchmark drives the
/// other end with <see cref="TryInject"/> and <see cref="TryTake"/>. Each direction is an SPSC ring.
/// </summary>
public sealed class InMemoryPortPair
{
    private readonly InMemoryRing _toSwitch;
    private readonly InMemoryRing _fromSwitch;

    /// <summary>Creates a pair with <paramref name="ringSlots"/> frames per direction.</summary>
    public InMemoryPortPair(string name, int ringSlots = 1024, int maxFrameSize = 2048)
    {
        _toSwitch = new InMemoryRing(ringSlots, maxFrameSize);
        _fromSwitch = new InMemoryRing(ringSlots, maxFrameSize);
        SwitchSide = new InMemoryPort(name, _toSwitch, _fromSwitch, default);
    }

    /// <summary>The port to add to the datapath.</summary>
    public IPort SwitchSide { get; }

    /// <summary>Frames waiting for the peer to take.</summary>
    public int PendingFromSwitch => _fromSwitch.Count;

    /// <summary>Sends a frame towards the switch.</summary>
    public bool TryInject(ReadOnlySpan<byte> frame) => _toSwitch.TryEnqueue(frame);

    /// <summary>Takes a frame the switch transmitted.</summary>
    public bool TryTake(Span<byte> destination, out int length) => _fromSwitch.TryDequeue(destination, out length);

    /// <summary>Takes a frame the switch transmitted (allocates; for tests).</summary>
    public byte[]? Take()
    {
        var buffer = new byte[4096];
        return TryTake(buffer, out var length) ? buffer[..length] : null;
    }

    /// <summary>Discards everything the switch transmitted; returns how many frames.</summary>
    public int Drain()
    {
        Span<byte> scratch = stackalloc byte[1];
        var n = 0;
        while (_fromSwitch.TryDequeue(scratch, out _))
        {
            n++;
        }

        return n;
    }
}
