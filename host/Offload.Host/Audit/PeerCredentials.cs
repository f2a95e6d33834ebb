using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;

namespace Offload.Host.Audit;

/// <summary>
/// Who is on the other end of a management connection: for the Unix socket the kernel's <c>SO_PEERCRED</c> (pid, uid,
/// gid of the connecting process, socket(7)); for TCP the remote address.
/// </summary>
/// <param name="Transport"><c>unix</c> or <c>tcp</c>.</param>
/// <param name="Pid">Peer process id (Unix socket), else null.</param>
/// <param name="Uid">Peer user id (Unix socket), else null.</param>
/// <param name="Gid">Peer group id (Unix socket), else null.</param>
/// <param name="Address">For TCP, <c>tcp:127.0.0.1</c>; for the Unix socket, <c>unix</c>.</param>
internal sealed record PeerCredentials(string Transport, int? Pid, uint? Uid, uint? Gid, string Address)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads the credentials of the connection behind <paramref name="context"/>.</summary>
    internal static PeerCredentials Of(HttpContext context)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is { AddressFamily: AddressFamily.Unix })
        {
            // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            Span<byte> ucred = stackalloc byte[12];
            try
            {
                if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) == 12)
                {
                    return new PeerCredentials("unix",
                        BitConverter.ToInt32(ucred[..4]), BitConverter.ToUInt32(ucred[4..8]), BitConverter.ToUInt32(ucred[8..]), "unix");
                }
            }
            catch (SocketException)
            {
                // fall through: recorded as an unknown Unix peer
            }

            return new PeerCredentials("unix", null, null, null, "unix");
        }

        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        return new PeerCredentials("tcp", null, null, null, "tcp:" + remote.ToString());
    }

    public override string ToString() => Uid is { } uid
        ? string.Create(CultureInfo.InvariantCulture, $"uid {uid} gid {Gid} pid {Pid}")
        : Address;
}
