using System.Runtime.InteropServices;

namespace Offload.Nic.Datapath;

/// <summary>struct pollfd of poll(2).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor
{
    /// <summary>POLLIN: there is data to read.</summary>
    public const short ReadableEvent = 0x001;

    public int Descriptor;
    public short Events;
    public short ReturnedEvents;
}
