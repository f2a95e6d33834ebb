namespace Offload.Nic.Datapath.Port;

/// <summary>
/// The switch side of an in-memory port: receives what the peer injected, transmits into the peer's ring.
/// </summary>
internal sealed class InMemoryPort : IPort
{
    private readonly InMemoryRing _rx;
    private readonly InMemoryRing _tx;
    private readonly PortNo _stamp;

    public InMemoryPort(string name, InMemoryRing rx, InMemoryRing tx, PortNo stamp)
    {
        Name = name;
        _rx = rx;
        _tx = tx;
        _stamp = stamp;
    }

    public string Name { get; }

    public int ReceiveBurst(FrameBatch batch) => _rx.DequeueInto(batch, _stamp);

    public int TransmitBurst(FrameBatch batch)
    {
        var sent = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (!_tx.TryEnqueue(batch.Frame(i)))
            {
                break;
            }

            sent++;
        }

        return sent;
    }

    public void Dispose()
    {
    }
}
