using System.Buffers.Binary;
using System.Text;
using BenchmarkDotNet.Attributes;
using Offload.Nic.Nvme;
using Offload.Nic.Nvme.QueuePair;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Benchmarks.Nvme;

/// <summary>
/// The per-I/O path in-process: a 4 KiB Read (or in-capsule Write) CapsuleCmd is framed, validated, run through the
/// request state machine, executed against the shared-memory namespace, and its C2HData + CapsuleResp are built in
/// the send buffer. MemoryDiagnoser must show 0 B/op.
/// </summary>
[MemoryDiagnoser]
public class NvmeIoPathBenchmarks
{
    private const string Nqn = "nqn.2026-01.io.offload:bench";
    private const string Host = "nqn.2014-08.org.nvmexpress:uuid:bench";
    private NvmeTcpTarget _target = null!;
    private TcpQueuePair _io = null!;
    private byte[] _read4k = [];
    private byte[] _write4k = [];

    [Params(false, true)]
    public bool Digests { get; set; }

    /// <summary>With the telemetry reporter's level-change signal attached to the queue pair (as the target does for
    /// accepted connections): the per-I/O cost of the immediate-crossing check.</summary>
    [Params(false, true)]
    public bool Signalled { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = new TargetConfig
        {
            KeepAliveCheckIntervalMs = 3_600_000,
            Subsystems =
            {
                new SubsystemConfig
                {
                    Nqn = Nqn,
                    Hosts = { Host },
                    Namespaces = { new NamespaceConfig { Nsid = 1, Size = 64L << 20, BlockSize = 512 } },
                },
            },
        };
        _target = new NvmeTcpTarget(config);
        var admin = new TcpQueuePair(null, _target);
        Require(admin.Feed([.. IcReq(false), .. Connect(0, 0xFFFF, false), .. PropertySetCcEnable(), .. SetNumberOfQueues()]));
        var cntlid = admin.Controller!.Id.Value;
        _io = new TcpQueuePair(null, _target);
        Require(_io.Feed([.. IcReq(Digests), .. Connect(1, cntlid, Digests)]));
        if (Signalled)
        {
            var signal = new OccupancySignal(new OccupancyThresholds());
            _io.SubmissionQueue.Signal = signal;
            _io.CompletionQueue.Signal = signal;
        }

        _read4k = Capsule(Sqe(0x02, 7, 1, 8, 4096, 0x5A), [], Digests);
        _write4k = Capsule(Sqe(0x01, 8, 1, 8, 4096, 0x01), new byte[4096], Digests);
    }

    [GlobalCleanup]
    public void Cleanup() => _target.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public bool Read4KiB() => _io.Feed(_read4k);

    [Benchmark]
    public bool Write4KiBInCapsule() => _io.Feed(_write4k);

    private static void Require(bool ok)
    {
        if (!ok)
        {
            throw new InvalidOperationException("benchmark setup failed");
        }
    }

    private static byte[] IcReq(bool digests)
    {
        var pdu = new byte[128];
        pdu[2] = 128;
        pdu[4] = 128;
        pdu[11] = digests ? (byte)3 : (byte)0;
        return pdu;
    }

    private static byte[] Sqe(byte opcode, ushort cid, uint nsid, ulong slba, uint length, byte sgl)
    {
        var sqe = new byte[64];
        sqe[0] = opcode;
        sqe[1] = 0x40;
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(2), cid);
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(4), nsid);
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(32), length);
        sqe[39] = sgl;
        BinaryPrimitives.WriteUInt64LittleEndian(sqe.AsSpan(40), slba);
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(48), (length / 512) - 1);
        return sqe;
    }

    private static byte[] Connect(ushort qid, ushort cntlid, bool digests)
    {
        var sqe = new byte[64];
        sqe[0] = 0x7F;
        sqe[4] = 0x01;
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(32), 1024);
        sqe[39] = 0x01;
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(42), qid);
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(44), 31);
        var data = new byte[1024];
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(16), cntlid);
        Encoding.ASCII.GetBytes(Nqn, data.AsSpan(256));
        Encoding.ASCII.GetBytes(Host, data.AsSpan(512));
        return Capsule(sqe, data, digests);
    }

    private static byte[] PropertySetCcEnable()
    {
        var sqe = new byte[64];
        sqe[0] = 0x7F;
        sqe[4] = 0x00;
        sqe[39] = 0x5A;
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(44), 0x14);
        BinaryPrimitives.WriteUInt64LittleEndian(sqe.AsSpan(48), 0x00460001);
        return Capsule(sqe, [], false);
    }

    private static byte[] SetNumberOfQueues()
    {
        var sqe = new byte[64];
        sqe[0] = 0x09;
        sqe[39] = 0x5A;
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(40), 0x07);
        return Capsule(sqe, [], false);
    }

    private static byte[] Capsule(byte[] sqe, byte[] data, bool digests)
    {
        var hd = digests ? 4 : 0;
        var dd = digests && data.Length > 0 ? 4 : 0;
        var plen = 72 + hd + data.Length + dd;
        var pdu = new byte[plen];
        pdu[0] = 0x04;
        pdu[1] = (byte)((hd != 0 ? 1 : 0) | (dd != 0 ? 2 : 0));
        pdu[2] = 72;
        pdu[3] = data.Length > 0 ? (byte)(72 + hd) : (byte)0;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), (uint)plen);
        sqe.CopyTo(pdu, 8);
        if (hd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(72), Offload.Nic.Nvme.Pdu.Crc32C.Compute(pdu.AsSpan(0, 72)));
        }

        data.CopyTo(pdu, 72 + hd);
        if (dd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(72 + hd + data.Length), Offload.Nic.Nvme.Pdu.Crc32C.Compute(data));
        }

        return pdu;
    }
}
