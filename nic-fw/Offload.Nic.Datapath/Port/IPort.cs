namespace Offload.Nic.Datapath.Port;

/// <summary>
/// A switch port: burst receive and burst transmit of whole Ethernet frames (no FCS).
/// Neither call blocks. Called only from the owning poll thread.
/// </summary>
public interface IPort : IDisposable
{
    /// <summary>Human-readable name (interface name, socket address, ...).</summary>
    string Name { get; }

    /// <summary>Appends up to <c>batch.Free</c> received frames to <paramref name="batch"/>; returns how many.</summary>
    int ReceiveBurst(FrameBatch batch);

    /// <summary>Transmits frames 0..Count-1 of <paramref name="batch"/>; returns how many were accepted
    /// (the rest are dropped by the caller as <see cref="DropReason.QueueFull"/>).</summary>
    int TransmitBurst(FrameBatch batch);
}
