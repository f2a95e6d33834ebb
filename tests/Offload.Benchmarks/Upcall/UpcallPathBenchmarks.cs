using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Benchmarks.Mailbox;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Host.Switching;
using Offload.Nic.Datapath;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Mailbox;

namespace Offload.Benchmarks.Upcall;

/// <summary>
/// Flow setups per second through the whole upcall path, in one process over loopback TCP: datapath miss, held packet,
/// FlowMiss through nic-fw's <see cref="MailboxDevice"/>, offloadd's <see cref="MailboxClient"/> and learning switch
/// (learns the new source, answers FlowRemove(cookie) + FlowInstall(output 2)), back through the mailbox to
/// <see cref="NicDatapath"/>, install, and the held packet is transmitted on port 2. Every frame is a new flow (new
/// source MAC); at most 512 setups are in flight. nic-fw's <see cref="PollLoop"/> runs the datapath (it parks when the
/// window is full and is woken by the install). One operation = one completed setup.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // offloadd (the learning switch) is Linux-only
public class UpcallPathBenchmarks
{
    private const int SetupsPerInvoke = 4096;
    private const ulong HostB = 0x02_00_00_00_00_0B;

    private readonly BackgroundRuns _runs = new();
    private FlowSetupPort _port = null!;
    private MailboxClient _client = null!;
    private PollLoop? _loop;

    /// <summary>True: nic-fw's <see cref="PollLoop"/> (parks in select, woken by installs); false: the datapath's own
    /// <see cref="SwitchDatapath.RunAsync"/> (sleeps 1 ms when idle), for comparison.</summary>
    [Params(true, false)]
    public bool ParkingLoop { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int tcpPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            tcpPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var endpoint = MailboxEndpoint.Tcp("127.0.0.1", tcpPort);
        var mailboxOptions = new MailboxOptions { Endpoint = endpoint.ToString() };
        var upcalls = new UpcallQueue(4096);
        var datapath = new NicDatapath(new SwitchDatapath(new DatapathOptions
        {
            UpcallRatePerSecond = 1e9,
            UpcallBurst = 1e9,
            HeldPacketCapacity = 4096,
            FlowLimit = 2_000_000,
        }, upcalls, TimeProvider.System), upcalls);
        _port = new FlowSetupPort(HostB);
        datapath.Switch.AddPort(new PortNo(1), _port);
        datapath.Switch.AddPort(new PortNo(2), _port.Egress);

        var device = new MailboxDevice(MailboxTransport.Create(endpoint), mailboxOptions,
            new MailboxIdentity("bench-nic", "0", ["mailbox-v1"]), new NicMailboxHandler([new NicDatapathSubscriber(datapath)]), NullLogger.Instance);
        var service = new DatapathService(datapath, Options.Create(new NicDatapathOptions()), device, NullLogger<DatapathService>.Instance);

        var policy = new LearningSwitch(new LearningSwitchOptions { MacTableCapacity = 4_000_000, ForwardIdleTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System);
        policy.TryDecide(new FlowMiss { Key = SwitchFlowKey.Match(2, new MacAddress(HostB), MacAddress.Broadcast) }, out _, out _); // B is behind port 2
        var handler = new LearningSwitchHandler(new NullHandler(), policy, NullLogger.Instance);
        var hostOptions = new MailboxOptions();
        hostOptions.Endpoints.Add(endpoint.ToString());
        _client = new MailboxClient(MailboxTransport.Create(endpoint), hostOptions, new MailboxIdentity("bench-host", "0", ["controller-v1"]), handler, NullLogger.Instance);

        Task poll;
        if (ParkingLoop)
        {
            _loop = new PollLoop(datapath.Switch, []);
            datapath.CommandQueued = _loop.Wake;
            poll = _loop.RunAsync(_runs.Token);
        }
        else
        {
            poll = datapath.Switch.RunAsync(_runs.Token);
        }

        _runs.Add(device.RunAsync(_runs.Token), poll, service.DrainUpcallsAsync(_runs.Token), _client.RunAsync(_runs.Token));
        BackgroundRuns.WaitForSession(_client, device, endpoint);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runs.Stop();
        _loop?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = SetupsPerInvoke)]
    public long SetupFlowsThroughMailbox()
    {
        _port.Request(SetupsPerInvoke);
        long target = _port.Target;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var spin = new SpinWait();
        while (_port.Transmitted < target)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"only {_port.Transmitted} of {target} setups completed in 60 s");
            }

            spin.SpinOnce();
        }

        return _port.Transmitted;
    }

    private sealed class NullHandler : IMailboxHandler;
}
