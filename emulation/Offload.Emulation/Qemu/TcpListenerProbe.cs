using System.Globalization;

namespace Offload.Emulation.Qemu;

/// <summary>
/// Waits for a local TCP listener by reading <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c> instead of
/// connecting: a probe connection would be taken by a QEMU <c>-netdev stream,server=on</c> as its one peer.
/// </summary>
public static class TcpListenerProbe
{
    private const string ListenState = "0A";

    /// <summary>True once some socket listens on <paramref name="port"/>; false at <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForListenerAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (IsListening(port))
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        return IsListening(port);
    }

    /// <summary>True when a socket in LISTEN state is bound to <paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st ...; local_address is HEXIP:HEXPORT
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != ListenState)
                {
                    continue;
                }

                var colon = fields[1].LastIndexOf(':');
                if (colon > 0 && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var local) && local == port)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
