using System.Buffers.Binary;
using System.Numerics;

namespace Offload.Emulation.Tests.Capture;

/// <summary>Builds NVMe/TCP PDUs and writes them as one TCP stream into a classic pcap file.</summary>
internal sealed class SyntheticNvmeTcpCapture
{
    public const int TargetPort = 14420; // not 4420: tshark decodes that port as NVMe/TCP by default
    private const int HostPort = 40000;
    private readonly List<(bool ToTarget, byte[] Payload)> _segments = [];

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    public SyntheticNvmeTcpCapture IcReq()
    {
        var pdu = new byte[128];
        pdu[0] = 0x00; // ICReq
        pdu[2] = 128;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), 128);
        pdu[11] = 0x03; // HDGST_ENABLE | DDGST_ENABLE
        _segments.Add((true, pdu));
        return this;
    }

    public SyntheticNvmeTcpCapture IcResp()
    {
        var pdu = new byte[128];
        pdu[0] = 0x01; // ICResp
        pdu[2] = 128;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), 128);
        pdu[11] = 0x03;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(12), 131072); // MAXH2CDATA
        _segments.Add((false, pdu));
        return this;
    }

    /// <summary>CapsuleResp with a header digest; <paramref name="corruptDigest"/> flips one digest bit.</summary>
    public SyntheticNvmeTcpCapture CapsuleResp(ushort commandId, bool corruptDigest = false)
    {
        var pdu = new byte[28];
        pdu[0] = 0x05;
        pdu[1] = 0x01; // HDGSTF
        pdu[2] = 24;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), 28);
        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(8 + 12), commandId); // CQE CID
        var digest = Crc32C(pdu.AsSpan(0, 24));
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(24), corruptDigest ? digest ^ 1 : digest);
        _segments.Add((false, pdu));
        return this;
    }

    /// <summary>C2HData (LAST_PDU|SUCCESS) with header and data digests; <paramref name="corruptData"/> flips a data byte after digesting.</summary>
    public SyntheticNvmeTcpCapture C2HData(ushort commandId, int length, bool corruptData = false)
    {
        var pdu = new byte[24 + 4 + length + 4];
        pdu[0] = 0x07;
        pdu[1] = 0x01 | 0x02 | 0x04 | 0x08;
        pdu[2] = 24;
        pdu[3] = 28; // PDO
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), (uint)pdu.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(8), commandId);
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(16), (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(24), Crc32C(pdu.AsSpan(0, 24)));
        var data = pdu.AsSpan(28, length);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i * 7);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(28 + length), Crc32C(data));
        if (corruptData)
        {
            data[0] ^= 0xFF;
        }

        _segments.Add((false, pdu));
        return this;
    }

    /// <summary>Everything the target side sends, concatenated (what a fake target writes to its socket).</summary>
    public byte[] TargetToHostBytes() => _segments.Where(s => !s.ToTarget).SelectMany(s => s.Payload).ToArray();

    public void WritePcap(string path)
    {
        using var file = File.Create(path);
        Span<byte> global = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(global, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(global[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(global[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(global[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(global[20..], 1); // Ethernet
        file.Write(global);
        uint hostSeq = 1000, targetSeq = 5000;
        var second = 1u;
        foreach (var (toTarget, payload) in _segments)
        {
            var frame = new byte[14 + 20 + 20 + payload.Length];
            byte[] hostMac = [0x52, 0x54, 0, 0x12, 0x34, 0x56], targetMac = [0x52, 0x55, 0x0A, 0, 2, 2];
            (toTarget ? targetMac : hostMac).CopyTo(frame, 0);
            (toTarget ? hostMac : targetMac).CopyTo(frame, 6);
            frame[12] = 0x08;
            var ip = frame.AsSpan(14, 20);
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 20 + payload.Length));
            ip[8] = 64;
            ip[9] = 6;
            byte[] hostIp = [10, 0, 2, 15], targetIp = [10, 0, 2, 2];
            (toTarget ? hostIp : targetIp).CopyTo(frame, 14 + 12);
            (toTarget ? targetIp : hostIp).CopyTo(frame, 14 + 16);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], IpChecksum(ip));
            var tcp = frame.AsSpan(34, 20);
            BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)(toTarget ? HostPort : TargetPort));
            BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], (ushort)(toTarget ? TargetPort : HostPort));
            BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], toTarget ? hostSeq : targetSeq);
            BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], toTarget ? targetSeq : hostSeq);
            tcp[12] = 5 << 4;
            tcp[13] = 0x18; // PSH|ACK
            BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
            payload.CopyTo(frame, 54);
            if (toTarget)
            {
                hostSeq += (uint)payload.Length;
            }
            else
            {
                targetSeq += (uint)payload.Length;
            }

            var record = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(record, second++);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }
    }

    private static ushort IpChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
