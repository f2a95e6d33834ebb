using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Offload.Nic.Datapath;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Datapath.Upcall;
using Dp = Offload.Nic.Datapath.SwitchDatapath;

namespace Offload.Benchmarks.Datapath;

/// <summary>
/// Flow setups per second through the datapath's side of the upcall path, in-process: every packet has a new
/// 5-tuple, misses, is held, goes up through <see cref="IUpcallSink"/> to a synchronous controller that answers
/// with an exact-match InstallFlow, and the next poll installs the flow and releases the held packet.
/// The mailbox and offloadd are NOT in this loop (the integrator measures that end to end).
/// </summary>
[MemoryDiagnoser]
public class FlowSetupBenchmarks
{
    private const int Burst = 32;
    private Dp _datapath = null!;

    [GlobalSetup]
    public void Setup()
    {
        var controller = new InstallingSink();
        _datapath = new Dp(new DatapathOptions
        {
            UpcallRatePerSecond = 1e12,
            UpcallBurst = 1e12,
            HeldPacketCapacity = 4096,
            FlowLimit = 1_000_000,
        }, controller, TimeProvider.System);
        controller.Datapath = _datapath;
        _datapath.AddPort(new PortNo(1), new UniqueFlowPort());
        _datapath.AddPort(new PortNo(2), new ReplayPort([]));
    }

    [Benchmark(OperationsPerInvoke = Burst)]
    public int SetupFlows() => _datapath.Poll();

    private sealed class InstallingSink : IUpcallSink
    {
        private static readonly FlowAction[] Actions = [FlowAction.Output(new PortNo(2))];

        public Dp Datapath { get; set; } = null!;

        public bool TrySendMiss(UpcallId id, in FlowKey key, ReadOnlySpan<byte> packetHead)
        {
            var mask = FlowKey.ExactMask;
            mask.TcpFlags = 0;
            Datapath.InstallFlow(key, mask, 1, Actions, TimeSpan.FromMilliseconds(1), TimeSpan.Zero);
            return true;
        }

        public bool TrySendPacket(in FlowKey key, ReadOnlySpan<byte> packet, uint userData) => true;

        public void OnFlowRemoved(FlowId id, in FlowKey match, in FlowKey mask, FlowRemovedReason reason, FlowStats stats)
        {
        }
    }

    private sealed class UniqueFlowPort : IPort
    {
        private readonly byte[] _template = ReplayPort.Udp64(0x020000000001, 0x020000000002, 0x0A000001, 0x0A000002, 1, 80);
        private uint _counter;

        public string Name => "unique";

        public int ReceiveBurst(FrameBatch batch)
        {
            var n = 0;
            while (batch.Free > 0)
            {
                _counter++;
                BinaryPrimitives.WriteUInt32BigEndian(_template.AsSpan(14 + 12), 0x0A000000 | (_counter >> 16));
                BinaryPrimitives.WriteUInt16BigEndian(_template.AsSpan(14 + 20), (ushort)_counter);
                batch.TryAdd(_template);
                n++;
            }

            return n;
        }

        public int TransmitBurst(FrameBatch batch) => batch.Count;

        public void Dispose()
        {
        }
    }
}
