using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;

namespace Offload.Nic.Nvme.Tests.Support;

/// <summary>A minimal host-side NVMe/TCP initiator over a real socket, for tests. Writes PDUs byte by byte as the
/// spec lays them out (independently of the target's writer) and reads whole PDUs back.</summary>
public sealed class HostInitiator : IDisposable
{
    public const string DefaultHostNqn = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000000a";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Socket _socket;
    private ushort _nextCid = 1;

    public HostInitiator(IPEndPoint endPoint, int receiveBufferSize = 0)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize > 0)
        {
            _socket.ReceiveBufferSize = receiveBufferSize;
        }

        _socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, endPoint.Port));
    }

    public bool HeaderDigest { get; private set; }

    public bool DataDigest { get; private set; }

    public int MaxH2CData { get; private set; }

    public ushort ControllerId { get; private set; }

    public Guid HostId { get; set; } = new("11111111-2222-3333-4444-555555555555");

    public void Dispose() => _socket.Dispose();

    /// <summary>The initiator's end of the TCP connection (the target sees it as the remote endpoint).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void SendRaw(ReadOnlySpan<byte> bytes) => _socket.Send(bytes);

    public void Shutdown() => _socket.Shutdown(SocketShutdown.Send);

    public void ResetConnection()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public static byte[] BuildIcReq(bool hdgst = false, bool ddgst = false, ushort pfv = 0, byte hpda = 0, int plen = 128)
    {
        var pdu = new byte[Math.Max(plen, 8)];
        pdu[0] = 0x00;
        pdu[2] = 128;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), (uint)plen);
        if (pdu.Length >= 16)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(8), pfv);
            pdu[10] = hpda;
            pdu[11] = (byte)((hdgst ? 1 : 0) | (ddgst ? 2 : 0));
        }

        return pdu;
    }

    /// <summary>ICReq/ICResp exchange; returns the ICResp.</summary>
    public byte[] Initialize(bool hdgst = false, bool ddgst = false)
    {
        SendRaw(BuildIcReq(hdgst, ddgst));
        var resp = ReceivePdu();
        Assert.Equal((byte)PduType.ICResp, resp[0]);
        HeaderDigest = (resp[11] & 1) != 0;
        DataDigest = (resp[11] & 2) != 0;
        MaxH2CData = (int)BinaryPrimitives.ReadUInt32LittleEndian(resp.AsSpan(12));
        return resp;
    }

    /// <summary>Reads exactly one PDU (returns null if the connection closed first).</summary>
    public byte[]? TryReceivePdu()
    {
        var header = new byte[8];
        if (!ReadExactly(header))
        {
            return null;
        }

        var plen = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        Assert.InRange(plen, 8, 1 << 24);
        var pdu = new byte[plen];
        header.CopyTo(pdu, 0);
        return ReadExactly(pdu.AsSpan(8)) ? pdu : null;
    }

    public byte[] ReceivePdu() => TryReceivePdu() ?? throw new InvalidOperationException("connection closed");

    /// <summary>True when the target closed the connection (a read returns 0 or reset).</summary>
    public bool IsClosedByPeer()
    {
        var b = new byte[1];
        try
        {
            return _socket.Receive(b) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public ushort NextCid() => _nextCid++;

    public static byte[] Sqe(byte opcode, ushort cid, uint nsid = 0)
    {
        var sqe = new byte[64];
        sqe[0] = opcode;
        sqe[1] = 0x40; // PSDT: SGL
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(2), cid);
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(4), nsid);
        sqe[39] = SubmissionEntry.SglTransport;
        return sqe;
    }

    public static void SetSgl(byte[] sqe, byte type, ulong address, uint length)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(sqe.AsSpan(24), address);
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(32), length);
        sqe[39] = type;
    }

    public static void SetDword(byte[] sqe, int index, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(index * 4), value);

    public static void SetQword(byte[] sqe, int index, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(sqe.AsSpan(index * 4), value);

    /// <summary>Builds a CapsuleCmd with optional in-capsule data, digests as negotiated.</summary>
    public byte[] BuildCapsule(byte[] sqe, ReadOnlySpan<byte> data = default, bool corruptDataDigest = false)
    {
        var hd = HeaderDigest ? 4 : 0;
        var dd = DataDigest && data.Length > 0 ? 4 : 0;
        var pdo = data.Length > 0 ? 72 + hd : 0;
        var plen = 72 + hd + data.Length + dd;
        var pdu = new byte[plen];
        pdu[0] = 0x04;
        pdu[1] = (byte)((hd != 0 ? 1 : 0) | (dd != 0 ? 2 : 0));
        pdu[2] = 72;
        pdu[3] = (byte)pdo;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), (uint)plen);
        sqe.CopyTo(pdu, 8);
        if (hd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(72), Crc32C.Compute(pdu.AsSpan(0, 72)));
        }

        data.CopyTo(pdu.AsSpan(72 + hd));
        if (dd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(72 + hd + data.Length), Crc32C.Compute(data) ^ (corruptDataDigest ? 1u : 0u));
        }

        return pdu;
    }

    public byte[] BuildH2CData(ushort cid, ushort ttag, uint offset, ReadOnlySpan<byte> data, bool last, bool corruptDataDigest = false)
    {
        var hd = HeaderDigest ? 4 : 0;
        var dd = DataDigest ? 4 : 0;
        var pdo = 24 + hd;
        var plen = pdo + data.Length + dd;
        var pdu = new byte[plen];
        pdu[0] = 0x06;
        pdu[1] = (byte)((hd != 0 ? 1 : 0) | (dd != 0 ? 2 : 0) | (last ? 4 : 0));
        pdu[2] = 24;
        pdu[3] = (byte)pdo;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), (uint)plen);
        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(8), cid);
        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(10), ttag);
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(12), offset);
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(16), (uint)data.Length);
        if (hd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(24), Crc32C.Compute(pdu.AsSpan(0, 24)));
        }

        data.CopyTo(pdu.AsSpan(pdo));
        if (dd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(pdo + data.Length), Crc32C.Compute(data) ^ (corruptDataDigest ? 1u : 0u));
        }

        return pdu;
    }

    /// <summary>Reads PDUs until the CapsuleResp (or C2HData with SUCCESS) for the command; collects C2H data.</summary>
    public Completion ReceiveCompletion(byte[]? dataOut = null)
    {
        while (true)
        {
            var pdu = ReceivePdu();
            switch ((PduType)pdu[0])
            {
                case PduType.C2HData:
                {
                    var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(12));
                    var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(16));
                    var pdo = pdu[3];
                    if (DataDigest)
                    {
                        Assert.Equal(Crc32C.Compute(pdu.AsSpan(pdo, length)), BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(pdo + length)));
                    }

                    if (HeaderDigest)
                    {
                        Assert.Equal(Crc32C.Compute(pdu.AsSpan(0, 24)), BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(24)));
                    }

                    pdu.AsSpan(pdo, length).CopyTo(dataOut.AsSpan(offset));
                    if ((pdu[1] & 0x08) != 0)
                    {
                        return new Completion(BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(8)), NvmeStatus.Success, 0, pdu);
                    }

                    break;
                }

                case PduType.CapsuleResponse:
                    if (HeaderDigest)
                    {
                        Assert.Equal(Crc32C.Compute(pdu.AsSpan(0, 24)), BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(24)));
                    }

                    return new Completion(BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(20)),
                        NvmeStatus.FromField(BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(22))),
                        BinaryPrimitives.ReadUInt64LittleEndian(pdu.AsSpan(8)), pdu);
                default:
                    return new Completion(0, NvmeStatus.InternalError, 0, pdu);
            }
        }
    }

    /// <summary>Sends a command; for a host-to-controller transfer without in-capsule data answers R2Ts with H2CData.</summary>
    public Completion Execute(byte[] sqe, byte[]? writeData = null, byte[]? readData = null, bool inCapsule = true)
    {
        var cid = BinaryPrimitives.ReadUInt16LittleEndian(sqe.AsSpan(2));
        if (writeData is not null && inCapsule)
        {
            SetSgl(sqe, SubmissionEntry.SglInCapsule, 0, (uint)writeData.Length);
            SendRaw(BuildCapsule(sqe, writeData));
            return ReceiveCompletion(readData);
        }

        if (readData is not null)
        {
            SetSgl(sqe, SubmissionEntry.SglTransport, 0, (uint)readData.Length);
        }
        else if (writeData is not null)
        {
            SetSgl(sqe, SubmissionEntry.SglTransport, 0, (uint)writeData.Length);
        }

        SendRaw(BuildCapsule(sqe));
        if (writeData is null)
        {
            return ReceiveCompletion(readData);
        }

        var r2t = ReceivePdu();
        if (r2t[0] != (byte)PduType.R2T)
        {
            return new Completion(BinaryPrimitives.ReadUInt16LittleEndian(r2t.AsSpan(20)),
                NvmeStatus.FromField(BinaryPrimitives.ReadUInt16LittleEndian(r2t.AsSpan(22))), 0, r2t);
        }

        Assert.Equal(cid, BinaryPrimitives.ReadUInt16LittleEndian(r2t.AsSpan(8)));
        var ttag = BinaryPrimitives.ReadUInt16LittleEndian(r2t.AsSpan(10));
        var r2tl = (int)BinaryPrimitives.ReadUInt32LittleEndian(r2t.AsSpan(16));
        Assert.Equal(writeData.Length, r2tl);
        for (var off = 0; off < r2tl; off += MaxH2CData)
        {
            var n = Math.Min(MaxH2CData, r2tl - off);
            SendRaw(BuildH2CData(cid, ttag, (uint)off, writeData.AsSpan(off, n), off + n == r2tl));
        }

        return ReceiveCompletion();
    }

    public static byte[] ConnectData(string subNqn, string hostNqn, Guid hostId, ushort cntlid)
    {
        var data = new byte[1024];
        hostId.TryWriteBytes(data.AsSpan(0, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(16), cntlid);
        Encoding.ASCII.GetBytes(subNqn, data.AsSpan(256));
        Encoding.ASCII.GetBytes(hostNqn, data.AsSpan(512));
        return data;
    }

    public Completion Connect(string subNqn, ushort qid = 0, ushort sqsize = 31, uint katoMs = 0, string hostNqn = DefaultHostNqn,
        ushort cntlid = 0xFFFF, bool inCapsule = true, byte cattr = 0)
    {
        var sqe = Sqe(AdminOpcode.Fabrics, NextCid());
        sqe[4] = FabricsType.Connect;
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(42), qid);
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(44), sqsize);
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(48), katoMs);
        sqe[46] = cattr;
        var c = Execute(sqe, ConnectData(subNqn, hostNqn, HostId, cntlid), inCapsule: inCapsule);
        if (c.Status.IsSuccess)
        {
            ControllerId = (ushort)c.Result;
        }

        return c;
    }

    public Completion PropertySet(uint offset, uint value)
    {
        var sqe = Sqe(AdminOpcode.Fabrics, NextCid());
        sqe[4] = FabricsType.PropertySet;
        SetDword(sqe, 11, offset);
        SetQword(sqe, 12, value);
        return Execute(sqe);
    }

    public Completion PropertyGet(uint offset, bool eightBytes = false)
    {
        var sqe = Sqe(AdminOpcode.Fabrics, NextCid());
        sqe[4] = FabricsType.PropertyGet;
        sqe[40] = eightBytes ? (byte)1 : (byte)0;
        SetDword(sqe, 11, offset);
        return Execute(sqe);
    }

    /// <summary>Admin connect + CC.EN=1 + Set Features Number of Queues.</summary>
    public void ConnectAndEnable(string subNqn, uint katoMs = 0, string hostNqn = DefaultHostNqn, int ioQueues = 4)
    {
        Assert.True(Connect(subNqn, 0, 31, katoMs, hostNqn).Status.IsSuccess);
        Assert.True(PropertySet(ControllerRegisters.Cc, 0x00460001).Status.IsSuccess);
        var sqe = Sqe(AdminOpcode.SetFeatures, NextCid());
        SetDword(sqe, 10, 0x07);
        SetDword(sqe, 11, (uint)((ioQueues - 1) | ((ioQueues - 1) << 16)));
        Assert.True(Execute(sqe).Status.IsSuccess);
    }

    public Completion Write(uint nsid, ulong slba, byte[] data, int blockSize, bool inCapsule)
    {
        var sqe = Sqe(IoOpcode.Write, NextCid(), nsid);
        SetQword(sqe, 10, slba);
        SetDword(sqe, 12, (uint)(data.Length / blockSize) - 1);
        return Execute(sqe, writeData: data, inCapsule: inCapsule);
    }

    public Completion Read(uint nsid, ulong slba, byte[] data, int blockSize)
    {
        var sqe = Sqe(IoOpcode.Read, NextCid(), nsid);
        SetQword(sqe, 10, slba);
        SetDword(sqe, 12, (uint)(data.Length / blockSize) - 1);
        return Execute(sqe, readData: data);
    }

    private bool ReadExactly(Span<byte> buffer)
    {
        var got = 0;
        try
        {
            while (got < buffer.Length)
            {
                var n = _socket.Receive(buffer[got..]);
                if (n == 0)
                {
                    return false;
                }

                got += n;
            }
        }
        catch (SocketException)
        {
            return false;
        }

        return true;
    }

    public readonly record struct Completion(ushort CommandId, NvmeStatus Status, ulong Result, byte[] Pdu);
}
