using Offload.Contracts.Mailbox;
using Offload.Host.Nics;

namespace Offload.Host.Mailbox;

/// <summary>Keeps the <see cref="NicRegistry"/> in step with one endpoint's mailbox sessions.</summary>
internal sealed class NicSessionTracker(NicRegistry registry, MailboxEndpoint endpoint) : IMailboxHandler
{
    public void OnEstablished(MailboxSession session)
    {
        var peer = session.Peer!;
        registry.Upsert(new NicInfo(peer.Id, peer.SoftwareVersion, peer.ProtocolVersion, endpoint.ToString(), peer.ConnectedSince, session.LastRoundTrip, peer.Capabilities));
    }

    public void OnHeartbeat(MailboxSession session, TimeSpan roundTrip)
    {
        if (session.Peer is { } peer)
        {
            registry.TryUpdateRtt(peer.Id, roundTrip);
        }
    }

    public void OnClosed(MailboxSession session, string reason)
    {
        if (session.Peer is { } peer && registry.TryGet(peer.Id, out var current) && current.Endpoint == endpoint.ToString())
        {
            registry.TryRemove(peer.Id);
        }
    }
}
