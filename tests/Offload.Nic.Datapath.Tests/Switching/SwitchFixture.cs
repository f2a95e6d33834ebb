using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath.Tests.Switching;

/// <summary>A datapath with N in-memory ports (numbered 1..N), a recording sink, fake time and the learning controller.</summary>
internal sealed class SwitchFixture
{
    public SwitchFixture(int ports = 3, DatapathOptions? options = null, int[]? mtus = null)
    {
        Time = new SimulatedTimeProvider();
        Sink = new RecordingUpcallSink();
        Datapath = new SwitchDatapath(options ?? new DatapathOptions { EmcInsertInverseProbability = 1 }, Sink, Time);
        Ports = new InMemoryPortPair[ports + 1];
        for (var i = 1; i <= ports; i++)
        {
            Ports[i] = new InMemoryPortPair($"p{i}", 4096);
            Datapath.AddPort(new PortNo((ushort)i), Ports[i].SwitchSide, mtus?[i - 1] ?? RateOption.MaxStampedIpLength);
        }

        Controller = new LearningSwitchController(Datapath, Sink);
    }

    public SimulatedTimeProvider Time { get; }

    public RecordingUpcallSink Sink { get; }

    public SwitchDatapath Datapath { get; }

    public InMemoryPortPair[] Ports { get; }

    public LearningSwitchController Controller { get; }

    /// <summary>Polls until idle, answering upcalls between polls.</summary>
    public void Run()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var received = Datapath.Poll();
            var answered = Controller.Handle();
            if (received == 0 && answered == 0)
            {
                Datapath.Poll(); // apply the last installs
                return;
            }
        }
    }

    public void Send(int port, byte[] frame) => Assert.True(Ports[port].TryInject(frame));

    public int[] DrainCounts()
    {
        var counts = new int[Ports.Length];
        for (var i = 1; i < Ports.Length; i++)
        {
            counts[i] = Ports[i].Drain();
        }

        return counts;
    }
}
