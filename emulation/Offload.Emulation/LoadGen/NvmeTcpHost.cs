using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Offload.Emulation.LoadGen;

/// <summary>
/// A minimal NVMe over Fabrics host: admin queue Connect (dynamic CNTLID), Property Set CC.EN and wait for
/// CSTS.RDY, Identify Controller/Namespace, then I/O queues Connected to the same controller.
/// </summary>
internal sealed class NvmeTcpHost : IAsyncDisposable
{
    private const byte OpcodeFabrics = 0x7F;
    private const byte FabricsPropertySet = 0x00;
    private const byte FabricsConnect = 0x01;
    private const byte FabricsPropertyGet = 0x04;
    private const byte OpcodeIdentify = 0x06;
    private const byte OpcodeSetFeatures = 0x09;
    private const byte FeatureNumberOfQueues = 0x07;
    private const int ConnectDataSize = 1024;
    private const uint RegisterCc = 0x14;
    private const uint RegisterCsts = 0x1C;

    private readonly IPEndPoint _target;
    private readonly string _subsystemNqn;
    private readonly string _hostNqn;
    private readonly Guid _hostId;
    private readonly bool _digests;
    private NvmeTcpQueue? _admin;

    public NvmeTcpHost(IPEndPoint target, string subsystemNqn, string hostNqn, Guid hostId, bool digests = false)
    {
        _digests = digests;
        _target = target;
        _subsystemNqn = subsystemNqn;
        _hostNqn = hostNqn;
        _hostId = hostId;
    }

    public ushort ControllerId { get; private set; }

    public int InCapsuleDataSize { get; private set; }

    public int MaxTransferSize { get; private set; } = 128 * 1024;

    public ulong NamespaceBlocks { get; private set; }

    public int BlockSize { get; private set; }

    /// <summary>Connects the admin queue, enables the controller and identifies controller and namespace <paramref name="nsid"/>.</summary>
    public async Task ConnectAsync(uint nsid, int ioQueues, CancellationToken cancellationToken)
    {
        _admin = await NvmeTcpQueue.OpenAsync(_target, 2, Math.Max(ConnectDataSize, 4096), _digests, cancellationToken);
        _admin.InCapsuleDataSize = ConnectDataSize; // the admin queue always takes 8 KiB in-capsule (Fabrics §3.3)
        ControllerId = await ConnectQueueAsync(_admin, 0, 31, 0xFFFF, cancellationToken);
        await PropertySetAsync(RegisterCc, 0x0046_0001u, cancellationToken); // IOCQES=4, IOSQES=6, EN=1
        for (var i = 0; ; i++)
        {
            if ((await PropertyGetAsync(RegisterCsts, cancellationToken) & 1) != 0)
            {
                break;
            }

            if (i == 100)
            {
                throw new TimeoutException($"Controller {ControllerId} of {_subsystemNqn} never set CSTS.RDY after CC.EN=1.");
            }

            await Task.Delay(10, cancellationToken);
        }

        await SetNumberOfQueuesAsync(ioQueues, cancellationToken);
        var controller = await IdentifyAsync(1, 0, cancellationToken);
        var mdts = controller[77];
        if (mdts != 0)
        {
            MaxTransferSize = (int)Math.Min(1 << 20, 4096L << mdts);
        }

        var ioccsz = BinaryPrimitives.ReadUInt32LittleEndian(controller.AsSpan(1792));
        InCapsuleDataSize = (int)Math.Max(0, ((long)ioccsz * 16) - 64);
        var ns = await IdentifyAsync(0, nsid, cancellationToken);
        NamespaceBlocks = BinaryPrimitives.ReadUInt64LittleEndian(ns);
        var format = ns[26] & 0x0F;
        BlockSize = 1 << ns[128 + (4 * format) + 2];
        if (NamespaceBlocks == 0)
        {
            throw new InvalidOperationException($"Namespace {nsid} of {_subsystemNqn} reports 0 blocks (not attached to this host?).");
        }
    }

    /// <summary>Opens and Connects I/O queue <paramref name="qid"/> with <paramref name="depth"/> command slots.</summary>
    public async Task<NvmeTcpQueue> OpenIoQueueAsync(ushort qid, int depth, CancellationToken cancellationToken)
    {
        var queue = await NvmeTcpQueue.OpenAsync(_target, depth, Math.Max(ConnectDataSize, MaxTransferSize), _digests, cancellationToken);
        try
        {
            queue.InCapsuleDataSize = ConnectDataSize;
            // SQSIZE is 0's based and at least 1; one entry more than the depth so the queue is never full.
            await ConnectQueueAsync(queue, qid, (ushort)Math.Max(2, depth + 1), ControllerId, cancellationToken);
            queue.InCapsuleDataSize = InCapsuleDataSize;
            return queue;
        }
        catch
        {
            await queue.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await PropertySetAsync(RegisterCc, 0x0046_0000u | (1u << 14), timeout.Token); // CC.SHN = normal shutdown
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or NvmeStatusException)
            {
                // best effort: the connection is closing anyway
            }

            await _admin.DisposeAsync();
        }
    }

    private async Task<ushort> ConnectQueueAsync(NvmeTcpQueue queue, ushort qid, ushort sqsize, ushort cntlid, CancellationToken cancellationToken)
    {
        var data = queue.Buffer(0).Span[..ConnectDataSize];
        data.Clear();
        _hostId.TryWriteBytes(data, bigEndian: true, out _);
        BinaryPrimitives.WriteUInt16LittleEndian(data[16..], cntlid);
        Encoding.ASCII.GetBytes(_subsystemNqn, data.Slice(256, 256));
        Encoding.ASCII.GetBytes(_hostNqn, data.Slice(512, 256));
        var sqe = new byte[64];
        sqe[0] = OpcodeFabrics;
        sqe[4] = FabricsConnect;
        // CATTR bit 2 on I/O queues: SQ flow control disabled (we never read SQHD), which lets the target answer a
        // read with C2HData carrying SUCCESS instead of C2HData + CapsuleResp (NVMe-oF 1.1 §3.3; NVMe/TCP 1.0 §3.6.2.9).
        sqe[46] = qid == 0 ? (byte)0 : (byte)0x04;
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(42), qid);
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(44), (ushort)(sqsize - 1));
        var (dw0, status) = await queue.ExecuteAsync(0, sqe, ConnectDataSize, hostToController: true, cancellationToken);
        return status == 0 ? (ushort)dw0 : throw new NvmeStatusException($"Connect (qid {qid}) to {_subsystemNqn} as {_hostNqn}", status);
    }

    private async Task SetNumberOfQueuesAsync(int ioQueues, CancellationToken cancellationToken)
    {
        var sqe = new byte[64];
        sqe[0] = OpcodeSetFeatures;
        sqe[40] = FeatureNumberOfQueues;
        var zeroBased = (uint)(ioQueues - 1);
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(44), (zeroBased << 16) | zeroBased); // NCQR | NSQR
        var (dw0, status) = await _admin!.ExecuteAsync(0, sqe, 0, hostToController: false, cancellationToken);
        if (status != 0)
        {
            throw new NvmeStatusException($"Set Features Number of Queues ({ioQueues})", status);
        }

        var granted = Math.Min(dw0 & 0xFFFF, dw0 >> 16) + 1;
        if (granted < ioQueues)
        {
            throw new InvalidOperationException($"Controller {ControllerId} granted {granted} I/O queues; {ioQueues} were asked for.");
        }
    }

    private async Task PropertySetAsync(uint offset, uint value, CancellationToken cancellationToken)
    {
        var sqe = new byte[64];
        sqe[0] = OpcodeFabrics;
        sqe[4] = FabricsPropertySet;
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(44), offset);
        BinaryPrimitives.WriteUInt64LittleEndian(sqe.AsSpan(48), value);
        var (_, status) = await _admin!.ExecuteAsync(0, sqe, 0, hostToController: false, cancellationToken);
        if (status != 0)
        {
            throw new NvmeStatusException($"Property Set 0x{offset:X}", status);
        }
    }

    private async Task<uint> PropertyGetAsync(uint offset, CancellationToken cancellationToken)
    {
        var sqe = new byte[64];
        sqe[0] = OpcodeFabrics;
        sqe[4] = FabricsPropertyGet;
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(44), offset);
        var (dw0, status) = await _admin!.ExecuteAsync(0, sqe, 0, hostToController: false, cancellationToken);
        return status == 0 ? dw0 : throw new NvmeStatusException($"Property Get 0x{offset:X}", status);
    }

    private async Task<byte[]> IdentifyAsync(byte cns, uint nsid, CancellationToken cancellationToken)
    {
        var sqe = new byte[64];
        sqe[0] = OpcodeIdentify;
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(4), nsid);
        sqe[40] = cns;
        var (_, status) = await _admin!.ExecuteAsync(1, sqe, 4096, hostToController: false, cancellationToken);
        return status == 0 ? _admin.Buffer(1)[..4096].ToArray() : throw new NvmeStatusException($"Identify CNS {cns} NSID {nsid}", status);
    }
}
