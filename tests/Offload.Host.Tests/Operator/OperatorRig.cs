using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.Operator;

/// <summary>
/// The real system the operator commands are tested against: nic-fw with two UDP datapath ports and an NVMe/TCP target,
/// offloadd connected to it (management socket plus a 127.0.0.1 TCP listener), and an NVMe initiator in this process
/// reading in a loop so the NIC reports live queue occupancy and flow metadata for one tenant.
/// </summary>
public sealed class OperatorRig : IAsyncLifetime
{
    public const string BoardId = "ops-rig";
    private const string Nqn = "nqn.2026-01.io.offload:ops";

    private readonly CancellationTokenSource _stop = new();
    private Task _reads = Task.CompletedTask;
    private HostInitiator? _admin;
    private HostInitiator? _io;

    public NicFwProcess Nic { get; private set; } = null!;

    public OffloaddProcess Offloadd { get; private set; } = null!;

    /// <summary>The test's host behind datapath port 1 (a UDP socket at the port's peer address).</summary>
    public Socket HostA { get; } = Bound();

    /// <summary>The test's host behind datapath port 2.</summary>
    public Socket HostB { get; } = Bound();

    public IPEndPoint Port1 { get; private set; } = null!;

    public IPEndPoint Port2 { get; private set; } = null!;

    public int MetricsPort { get; private set; }

    /// <summary>The reading initiator's I/O connection, host side (its TCP source port names the flow).</summary>
    public IPEndPoint IoLocalEndPoint => _io!.LocalEndPoint;

    public Dictionary<string, string?> Environment => new() { ["OFFLOAD_SOCKET"] = Offloadd.SocketPath };

    public string Logs => $"\n--- offloadd ---\n{Offloadd.Process.Describe()}\n--- nic-fw ---\n{Nic.Process.Describe()}";

    public async Task InitializeAsync()
    {
        int mailbox = FreeTcpPort(), nvme = FreeTcpPort();
        MetricsPort = FreeTcpPort();
        Port1 = new IPEndPoint(IPAddress.Loopback, FreeUdpPort());
        Port2 = new IPEndPoint(IPAddress.Loopback, FreeUdpPort());
        Nic = await NicFwProcess.StartAsync(
            $"--Mailbox:Endpoint=tcp://127.0.0.1:{mailbox}", $"--Nic:BoardId={BoardId}",
            "--Datapath:Ports:0:No=1", "--Datapath:Ports:0:Kind=udp", $"--Datapath:Ports:0:Listen={Port1}", $"--Datapath:Ports:0:Peer={HostA.LocalEndPoint}",
            "--Datapath:Ports:1:No=2", "--Datapath:Ports:1:Kind=udp", $"--Datapath:Ports:1:Listen={Port2}", $"--Datapath:Ports:1:Peer={HostB.LocalEndPoint}",
            $"--Nvme:Listen=127.0.0.1:{nvme}", $"--Nvme:Subsystems:0:Nqn={Nqn}", "--Nvme:Subsystems:0:AllowAnyHost=true",
            "--Nvme:Subsystems:0:Namespaces:0:Nsid=1", "--Nvme:Subsystems:0:Namespaces:0:Size=1048576",
            "--Telemetry:Period=00:00:00.100");
        Offloadd = await OffloaddProcess.StartAsync(null,
            $"--Mailbox:Endpoints:0=tcp://127.0.0.1:{mailbox}", $"--Management:TcpPort={MetricsPort}",
            "--Switching:ForwardIdleTimeout=00:05:00", "--Switching:FloodIdleTimeout=00:05:00");

        _admin = new HostInitiator(new IPEndPoint(IPAddress.Loopback, nvme));
        _admin.Initialize();
        _admin.ConnectAndEnable(Nqn);
        _io = new HostInitiator(new IPEndPoint(IPAddress.Loopback, nvme));
        _io.Initialize();
        if (!_io.Connect(Nqn, 1, 31, cntlid: _admin.ControllerId).Status.IsSuccess)
        {
            throw new InvalidOperationException("the NVMe I/O queue did not connect" + Logs);
        }

        var io = _io;
        var data = new byte[4096];
        _reads = Task.Run(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var sqe = HostInitiator.Sqe(IoOpcode.Read, io.NextCid(), 1);
                HostInitiator.SetDword(sqe, 12, 7);
                io.Execute(sqe, readData: data);
                Thread.Sleep(1);
            }
        });
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reads.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or SocketException or InvalidOperationException)
        {
            // the target may already be gone
        }

        _io?.Dispose();
        _admin?.Dispose();
        Offloadd?.Dispose();
        Nic?.Dispose();
        HostA.Dispose();
        HostB.Dispose();
        _stop.Dispose();
    }

    /// <summary>Runs the real offloadctl against this rig's offloadd.</summary>
    public Task<ProcessResult> CtlAsync(params string[] arguments) => Offloadctl.RunAsync(Environment, arguments);

    /// <summary>Polls <paramref name="condition"/> until true or the timeout passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    /// <summary>
    /// A valid IPv4/UDP frame from 02:00:00:00:00:0a to 02:00:00:00:00:0b, ports 40000 to 40001 (no dissector claims
    /// them), IP checksum set, payload <c>offload-capture-NNNNN</c>.
    /// </summary>
    public static byte[] Frame(int marker)
    {
        var payload = Encoding.ASCII.GetBytes($"offload-capture-{marker:D5}");
        var frame = new byte[14 + 20 + 8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x0200);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(2), 0x0000000B);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(6), 0x0200);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), 0x0000000A);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)marker);
        ip[8] = 64;
        ip[9] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], 0x0A000001);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], 0x0A000002);
        uint sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        }

        sum = (sum >> 16) + (sum & 0xFFFF);
        sum += sum >> 16;
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
        var udp = frame.AsSpan(34, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 40001);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(frame.AsSpan(42));
        return frame;
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int FreeUdpPort()
    {
        using var socket = Bound();
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
