using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath;

/// <summary>
/// Turns <c>Datapath:Ports</c> entries into ports: parsing and checks (<see cref="TryDescribeProblem"/>, used by the
/// startup validator) and opening (<see cref="Open"/>, which reports a failure as one configuration line naming the key).
/// </summary>
internal static class DatapathPortOpener
{
    /// <summary>Longest TAP/interface name (IFNAMSIZ - 1).</summary>
    internal const int MaxInterfaceNameSize = 15;

    internal const string UnixPrefix = "unix:";

    internal static DatapathPortKind ParseKind(string? kind) => kind?.ToUpperInvariant() switch
    {
        "UDP" or "DGRAM" => DatapathPortKind.Datagram,
        "STREAM" => DatapathPortKind.Stream,
        "TAP" => DatapathPortKind.Tap,
        "AFPACKET" => DatapathPortKind.PacketSocket,
        _ => DatapathPortKind.None,
    };

    /// <summary>The configuration key prefix of entry <paramref name="index"/>.</summary>
    internal static string Key(int index) => $"{NicDatapathOptions.SectionName}:Ports:{index}";

    /// <summary>Parses a stream listen address: <c>unix:/path</c> or <c>ip:port</c>.</summary>
    internal static bool TryParseStreamEndPoint(string? text, out EndPoint endPoint)
    {
        endPoint = null!;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.StartsWith(UnixPrefix, StringComparison.Ordinal))
        {
            var path = text[UnixPrefix.Length..];
            if (!Path.IsPathFullyQualified(path) || Encoding.UTF8.GetByteCount(path) > 107)
            {
                return false;
            }

            endPoint = new UnixDomainSocketEndPoint(path);
            return true;
        }

        if (IPEndPoint.TryParse(text, out var ip))
        {
            endPoint = ip;
            return true;
        }

        return false;
    }

    /// <summary>One line describing what is wrong with entry <paramref name="index"/>, or null when it looks usable.</summary>
    internal static string? TryDescribeProblem(DatapathPortOptions port, int index)
    {
        var key = Key(index);
        if (port.No is < 1 or >= 0xFFFF)
        {
            return $"{key}:No={port.No} is out of range: use 1..65534.";
        }

        if (port.Mtu is < Offload.Nic.Datapath.Actions.RateOption.MinMtu or > Offload.Nic.Datapath.Actions.RateOption.MaxMtu)
        {
            return $"{key}:Mtu={port.Mtu} is out of range: use {Offload.Nic.Datapath.Actions.RateOption.MinMtu}..{Offload.Nic.Datapath.Actions.RateOption.MaxMtu} (default 1500; 9000 for jumbo frames).";
        }

        switch (ParseKind(port.Kind))
        {
            case DatapathPortKind.Datagram:
                if (!IPEndPoint.TryParse(port.Listen, out var listen) || listen.Port == 0)
                {
                    return $"{key}:Listen='{port.Listen}' is invalid for kind {port.Kind}: use ip:port, for example 127.0.0.1:5001.";
                }

                if (!IPEndPoint.TryParse(port.Peer, out var peer) || peer.Port == 0)
                {
                    return $"{key}:Peer='{port.Peer}' is invalid for kind {port.Kind}: use ip:port, for example 127.0.0.1:5002.";
                }

                return null;
            case DatapathPortKind.Stream:
                if (!TryParseStreamEndPoint(port.Listen, out var endPoint))
                {
                    return $"{key}:Listen='{port.Listen}' is invalid for kind stream: use unix:/absolute/path (at most 107 bytes) or ip:port, for example unix:/run/offload/port1.sock.";
                }

                if (endPoint is UnixDomainSocketEndPoint && Path.GetDirectoryName(port.Listen[UnixPrefix.Length..]) is { } directory && !Directory.Exists(directory))
                {
                    return $"{key}:Listen='{port.Listen}' is invalid: directory {directory} does not exist; create it or choose another path.";
                }

                return null;
            case DatapathPortKind.Tap:
                if (!IsInterfaceName(port.Interface))
                {
                    return $"{key}:Interface='{port.Interface}' is invalid for kind tap: use 1 to {MaxInterfaceNameSize} characters without '/', ':' or spaces, for example offload0.";
                }

                if (!File.Exists("/dev/net/tun"))
                {
                    return $"{key}:Kind=tap needs /dev/net/tun, which does not exist: load the tun module (modprobe tun) or use another kind.";
                }

                return null;
            case DatapathPortKind.PacketSocket:
                if (!IsInterfaceName(port.Interface))
                {
                    return $"{key}:Interface='{port.Interface}' is invalid for kind afpacket: use the name of an existing interface, for example eth1.";
                }

                if (!Directory.Exists(Path.Combine("/sys/class/net", port.Interface)))
                {
                    return $"{key}:Interface='{port.Interface}' does not exist: create it first or fix the name (see 'ip link').";
                }

                return null;
            default:
                return $"{key}:Kind='{port.Kind}' is invalid: use udp, dgram, stream, tap or afpacket.";
        }
    }

    /// <summary>Opens entry <paramref name="index"/> (every port it returns is an <see cref="IPollablePort"/>).</summary>
    /// <exception cref="OptionsValidationException">The entry is invalid or the system refused it; one line naming the key.</exception>
    internal static IPort Open(DatapathPortOptions port, int index)
    {
        if (TryDescribeProblem(port, index) is { } problem)
        {
            throw Invalid(problem);
        }

        var key = Key(index);
        var kind = ParseKind(port.Kind);
        try
        {
            switch (kind)
            {
                case DatapathPortKind.Datagram:
                    return Ports.OpenDatagram(IPEndPoint.Parse(port.Listen), IPEndPoint.Parse(port.Peer));
                case DatapathPortKind.Stream when TryParseStreamEndPoint(port.Listen, out var endPoint):
                    return Ports.ListenStream(endPoint, $"stream:{port.Listen}", FrameSize(port.Mtu));
                case DatapathPortKind.Tap:
                    return Ports.OpenTap(port.Interface);
                case DatapathPortKind.PacketSocket:
                    return Ports.OpenPacketSocket(port.Interface);
                default:
                    throw Invalid($"{key}:Kind='{port.Kind}' is invalid: use udp, dgram, stream, tap or afpacket.");
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            var what = kind switch
            {
                DatapathPortKind.Tap or DatapathPortKind.PacketSocket => $"{key}:Interface='{port.Interface}'",
                _ => $"{key}:Listen='{port.Listen}'",
            };
            throw Invalid($"{what} (kind {port.Kind}) cannot be opened: {ex.Message.TrimEnd('.')}. Fix the value or free the resource.");
        }
    }

    /// <summary>The frame buffer size for ports up to <paramref name="mtu"/>: at least the datapath's default 2,048.</summary>
    internal static int FrameSize(int mtu) => Math.Max(2048, mtu + Offload.Nic.Datapath.Actions.RateOption.FrameOverhead);

    private static bool IsInterfaceName(string? name)
    {
        if (string.IsNullOrEmpty(name) || Encoding.UTF8.GetByteCount(name) > MaxInterfaceNameSize || name is "." or "..")
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is '/' or ':' or <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static OptionsValidationException Invalid(string line) =>
        new(NicDatapathOptions.SectionName, typeof(NicDatapathOptions), [line]);
}
