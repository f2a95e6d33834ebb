using System.Buffers;
using BenchmarkDotNet.Attributes;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Nic.Datapath;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Upcall;

namespace Offload.Benchmarks.Upcall;

/// <summary>
/// One miss from the poll thread to FlowMiss bytes: nic-fw's <see cref="UpcallQueue"/> (pre-allocated ring, one reused
/// message) against the per-miss allocation it replaced (a FlowMiss with a new key array and a packet-head copy), same run.
/// </summary>
[MemoryDiagnoser]
public class UpcallQueueBenchmarks
{
    private readonly ArrayBufferWriter<byte> _wire = new(1024);
    private readonly byte[] _frame = new byte[128];
    private UpcallQueue _queue = null!;
    private UpcallMessage _message = null!;
    private FlowKey _key;
    private ulong _id;

    [GlobalSetup]
    public void Setup()
    {
        _queue = new UpcallQueue(4096);
        _message = new UpcallMessage();
        Random.Shared.NextBytes(_frame);
        _key.InPort = 3;
        _key.EthSrc = 0x020000000001;
        _key.EthDst = 0x020000000002;
    }

    [GlobalCleanup]
    public void Cleanup() => _queue.Dispose();

    /// <summary>The ring: TrySendMiss on the poll thread, TryRead into the reused message, FlowMiss encoding.</summary>
    [Benchmark]
    public int RingMissToWire()
    {
        _queue.TrySendMiss(new UpcallId(++_id), _key, _frame);
        _queue.TryRead(_message);
        return Encode(_message);
    }

    /// <summary>Baseline: what the sink did before (a FlowMiss object per miss, key and head copied into new arrays).</summary>
    [Benchmark(Baseline = true)]
    public int AllocatingMissToWire()
    {
        var keyBytes = new byte[FlowKey.Size];
        _key.TryWrite(keyBytes);
        var miss = new FlowMiss { UpcallId = ++_id, InPort = _key.InPort, Key = keyBytes, PacketHead = _frame.AsSpan().ToArray(), Reason = 0 };
        return Encode(miss);
    }

    private int Encode<T>(T message)
        where T : IMailboxMessage
    {
        _wire.ResetWrittenCount();
        var writer = new MessagePackWriter(_wire);
        message.Write(ref writer);
        writer.Flush();
        return _wire.WrittenCount;
    }
}
