namespace Offload.Nic.Datapath.Port;

/// <summary>
/// A port whose receive side can be waited on with poll(2): an idle poll thread parks on these descriptors, so a
/// frame (or, for a listening port, a connection) ends the park at once.
/// </summary>
public interface IPollablePort
{
    /// <summary>
    /// The descriptor that becomes readable when <see cref="IPort.ReceiveBurst"/> has work; -1 when there is none.
    /// May change between calls (a listening stream port reports its listener until a peer connects).
    /// </summary>
    int ReadinessDescriptor { get; }
}
