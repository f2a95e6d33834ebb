using System.Net;
using System.Net.Sockets;
using Offload.Contracts.Messages;
using Offload.Host.Switching;
using Offload.Nic.Datapath;
using Offload.Nic.Datapath.Port;
using static Offload.Host.Tests.Switching.EthernetFrames;
using WireAction = Offload.Contracts.Messages.FlowAction;

namespace Offload.Host.Tests.NicFw.Datapath;

/// <summary>
/// nic-fw's poll loop with real UDP sockets and a park timeout of an hour: anything that happens while it is parked
/// must end the park by itself (a frame on a port socket, or <see cref="PollLoop.Wake"/> after an install).
/// </summary>
public sealed class PollLoopTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Socket _hostA = Bound();
    private readonly Socket _hostB = Bound();
    private readonly Socket _port1 = Bound();
    private readonly Socket _port2 = Bound();
    private readonly NicDatapath _nic;
    private readonly PollLoop _loop;
    private readonly CancellationTokenSource _stop = new();

    public PollLoopTests()
    {
        _port1.Connect(_hostA.LocalEndPoint!);
        _port2.Connect(_hostB.LocalEndPoint!);
        var upcalls = new UpcallQueue(64);
        _nic = new NicDatapath(new SwitchDatapath(new DatapathOptions { UpcallTimeout = TimeSpan.FromMinutes(10) }, upcalls, TimeProvider.System), upcalls);
        var port1 = Ports.FromDatagramSocket(_port1);
        var port2 = Ports.FromDatagramSocket(_port2);
        _nic.Switch.AddPort(new PortNo(1), port1);
        _nic.Switch.AddPort(new PortNo(2), port2);
        _loop = new PollLoop(_nic.Switch, [port1, port2], parkTimeout: TimeSpan.FromHours(1));
        _nic.CommandQueued = _loop.Wake;
    }

    [Fact]
    public async Task Run_ParkedThenFrameArrivesThenInstall_EachEndsThePark()
    {
        var running = _loop.RunAsync(_stop.Token);
        await WaitUntilAsync(() => _loop.Parks > 0, "the loop never parked");

        // A frame on port 1 ends the park: it misses and is held, an upcall is queued, and the loop parks again.
        long parks = _loop.Parks;
        await _hostA.SendToAsync(Udp(HostB, HostA, marker: 5), _port1.LocalEndPoint!);
        var upcall = await _nic.Upcalls.ReadAsync().WaitAsync(Timeout);
        Assert.Equal(1U, upcall.InPort);
        await WaitUntilAsync(() => _loop.Parks > parks, "the loop did not park again");

        // The install wakes the parked loop, which releases the held frame to port 2.
        Assert.True(_nic.TryApply(new FlowInstall
        {
            UpcallId = upcall.UpcallId,
            Match = SwitchFlowKey.Match(1, new MacAddress(HostA), new MacAddress(HostB)),
            Mask = SwitchFlowKey.PortAndAddressesMask(),
            Actions = [new WireAction(FlowActionKind.Output, 2)],
        }));
        var buffer = new byte[2048];
        using var receive = new CancellationTokenSource(Timeout);
        int n = await _hostB.ReceiveAsync(buffer, SocketFlags.None, receive.Token);
        Assert.Equal(5, Marker(buffer.AsSpan(0, n)));

        await _stop.CancelAsync(); // ends the hour-long park
        await running.WaitAsync(Timeout);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Dispose();
        _stop.Dispose();
        _hostA.Dispose();
        _hostB.Dispose();
        _port1.Dispose();
        _port2.Dispose();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(10);
        }
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
