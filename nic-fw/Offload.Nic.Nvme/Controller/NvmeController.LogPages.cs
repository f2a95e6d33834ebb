using System.Text;

namespace Offload.Nic.Nvme.Controller;

public sealed partial class NvmeController
{
    public const byte LogError = 0x01;
    public const byte LogSmart = 0x02;
    public const byte LogFirmwareSlot = 0x03;
    public const byte LogChangedNamespaces = 0x04;
    public const byte LogDiscovery = 0x70;

    private const int DiscoveryEntrySize = 1024;

    /// <summary>Get Log Page CDW10 bit 15, RAE: the host keeps the event masked (the log is not cleared).</summary>
    private const uint RetainAsyncEventBit = 1u << 15;

    /// <summary>Get Log Page (NVMe Base 2.0, 5.16): LID@CDW10[7:0], NUMDL@CDW10[31:16], NUMDU@CDW11[15:0], LPO@CDW12-13.</summary>
    private NvmeStatus GetLogPage(in SubmissionEntry sqe, Span<byte> data)
    {
        var cdw10 = sqe.Dword(10);
        var lid = (byte)cdw10;
        var dwords = ((ulong)(sqe.Dword(11) & 0xFFFF) << 16 | (cdw10 >> 16)) + 1;
        var length = dwords * 4;
        var offset = sqe.Qword(12);
        if (length > (ulong)data.Length || (offset & 3) != 0)
        {
            return NvmeStatus.InvalidField;
        }

        byte[] page;
        switch (lid)
        {
            case LogDiscovery when IsDiscovery:
                page = BuildDiscoveryLog();
                break;
            case LogError when !IsDiscovery:
                page = new byte[64];
                break;
            case LogSmart when !IsDiscovery:
                page = BuildSmartLog();
                break;
            case LogFirmwareSlot when !IsDiscovery:
                page = new byte[512];
                page[0] = 1; // AFI: slot 1 active
                Encoding.ASCII.GetBytes("1.0     ", page.AsSpan(8, 8));
                break;
            case LogChangedNamespaces when !IsDiscovery:
                page = ReadChangedNamespaceLog(retainAsyncEvent: (cdw10 & RetainAsyncEventBit) != 0);
                break;
            default:
                return NvmeStatus.InvalidLogPage;
        }

        if (offset > (ulong)page.Length)
        {
            return NvmeStatus.InvalidField;
        }

        var available = (int)Math.Min((ulong)page.Length - offset, length);
        page.AsSpan((int)offset, available).CopyTo(data);
        return NvmeStatus.Success;
    }

    private byte[] BuildSmartLog()
    {
        var d = new byte[512];
        WriteU16(d, 1, 273 + 40); // composite temperature, Kelvin
        d[3] = 100; // available spare
        d[4] = 10; // spare threshold
        // Data units are thousands of 512-byte units (NVMe Base 2.0, Figure "SMART / Health Information").
        WriteU64(d, 32, (ulong)Interlocked.Read(ref DataUnitsRead) / 1000);
        WriteU64(d, 48, (ulong)Interlocked.Read(ref DataUnitsWritten) / 1000);
        WriteU64(d, 64, (ulong)Interlocked.Read(ref HostReadCommands));
        WriteU64(d, 80, (ulong)Interlocked.Read(ref HostWriteCommands));
        return d;
    }

    /// <summary>Discovery Log Page (NVMe-oF 1.1, 5.3 / NVMe Base 2.0 Figure "Discovery Log Page Entry"): one entry
    /// per subsystem this host may connect to.</summary>
    private byte[] BuildDiscoveryLog()
    {
        var visible = new List<string>();
        foreach (var s in _catalog.Subsystems)
        {
            if (s.IsHostAllowed(App.HostNqn))
            {
                visible.Add(s.Nqn);
            }
        }

        var page = new byte[DiscoveryEntrySize * (1 + visible.Count)];
        var d = page.AsSpan();
        WriteU64(d, 0, 1); // GENCTR
        WriteU64(d, 8, (ulong)visible.Count); // NUMREC
        WriteU16(d, 16, 0); // RECFMT
        for (var i = 0; i < visible.Count; i++)
        {
            var e = d.Slice(DiscoveryEntrySize * (i + 1), DiscoveryEntrySize);
            e[0] = 3; // TRTYPE: TCP
            e[1] = _catalog.AdvertiseAddress.Contains(':', StringComparison.Ordinal) ? (byte)2 : (byte)1; // ADRFAM
            e[2] = 2; // SUBTYPE: NVM subsystem
            e[3] = 0x02; // TREQ: secure channel not required
            WriteU16(e, 4, 1); // PORTID
            WriteU16(e, 6, 0xFFFF); // CNTLID: dynamic
            WriteU16(e, 8, 32); // ASQSZ
            WriteNqn(e.Slice(32, 32), _catalog.AdvertisePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteNqn(e.Slice(256, 256), visible[i]);
            WriteNqn(e.Slice(512, 256), _catalog.AdvertiseAddress);
            e[768] = 0; // TSAS.SECTYPE: none
        }

        return page;
    }
}
