using System.Globalization;

namespace Offload.Emulation.Scenarios;

/// <summary>
/// Scripts for two guests on one L2 segment (a switch port pair or a back-to-back socket netdev): both wait for
/// the peer, ping it, then one runs a one-shot iperf3 server and the other an iperf3 TCP client.
/// Step names: <see cref="Reach"/>, <see cref="Ping"/>, <see cref="IperfServer"/>, <see cref="IperfClient"/>.
/// </summary>
public static class GuestPairScenario
{
    /// <summary>The peer answered a ping within the wait.</summary>
    public const string Reach = "reach";

    /// <summary><c>ping -c 3</c> to the peer.</summary>
    public const string Ping = "ping";

    /// <summary><c>iperf3 -s -1</c> (one client, then exit).</summary>
    public const string IperfServer = "iperf-server";

    /// <summary><c>iperf3 -c</c>, retried until the server is up.</summary>
    public const string IperfClient = "iperf-client";

    /// <summary>The second iperf3 run (<see cref="StampedPort"/>, the guest's TCP with ECN on).</summary>
    public const string IperfServerStamped = "iperf-server-stamped";

    /// <summary>The second iperf3 client run.</summary>
    public const string IperfClientStamped = "iperf-client-stamped";

    /// <summary>TCP port of the second iperf3 run; switch rules can single it out for stamping.</summary>
    public const int StampedPort = 5202;

    /// <summary>Script of the guest that serves two iperf3 runs: the default port, then <see cref="StampedPort"/>.</summary>
    public static string ServerTwice(string peerAddress, int serverTimeoutSeconds = 150) => Server(peerAddress, serverTimeoutSeconds) + string.Create(
        CultureInfo.InvariantCulture,
        $"echo 1 > /proc/sys/net/ipv4/tcp_ecn\nstep {IperfServerStamped} timeout {serverTimeoutSeconds} iperf3 -s -1 -p {StampedPort}\n");

    /// <summary>
    /// Script of the guest that runs two iperf3 clients: on the default port, then with ECN negotiated
    /// (<c>net.ipv4.tcp_ecn=1</c>, so its segments are ECT(0)) on <see cref="StampedPort"/>.
    /// </summary>
    public static string ClientTwice(string serverAddress, int seconds = 3) => Client(serverAddress, seconds) + string.Create(
        CultureInfo.InvariantCulture,
        $"echo 1 > /proc/sys/net/ipv4/tcp_ecn\nstep {IperfClientStamped} retry 30 iperf3 -c {serverAddress} -p {StampedPort} -t {seconds}\n");

    /// <summary>Script of the guest that serves iperf3.</summary>
    public static string Server(string peerAddress, int serverTimeoutSeconds = 150) => string.Create(
        CultureInfo.InvariantCulture,
        $"step {Reach} wait_for_ping {peerAddress}\nstep {Ping} ping -c 3 {peerAddress}\nstep {IperfServer} timeout {serverTimeoutSeconds} iperf3 -s -1\n");

    /// <summary>Script of the guest that runs the iperf3 client for <paramref name="seconds"/> against <paramref name="serverAddress"/>.</summary>
    public static string Client(string serverAddress, int seconds = 3) => string.Create(
        CultureInfo.InvariantCulture,
        $"step {Reach} wait_for_ping {serverAddress}\nstep {Ping} ping -c 3 {serverAddress}\nstep {IperfClient} retry 30 iperf3 -c {serverAddress} -t {seconds}\n");
}
