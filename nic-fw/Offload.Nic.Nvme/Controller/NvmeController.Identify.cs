using Offload.Nic.Nvme.Namespace;

namespace Offload.Nic.Nvme.Controller;

public sealed partial class NvmeController
{
    public const int IdentifySize = 4096;

    private NvmeStatus Identify(in SubmissionEntry sqe, Span<byte> data)
    {
        if (data.Length < IdentifySize)
        {
            return NvmeStatus.DataSglLengthInvalid;
        }

        var cns = (byte)sqe.Dword(10);
        var nsid = sqe.Nsid;
        switch (cns)
        {
            case 0x01:
                IdentifyController(data);
                return NvmeStatus.Success;
            case 0x00 when !IsDiscovery:
                if (!Subsystem.TryGetNamespace(nsid, out var ns))
                {
                    return NvmeStatus.InvalidNamespaceOrFormat;
                }

                IdentifyNamespace(ns, data);
                return NvmeStatus.Success;
            case 0x02 when !IsDiscovery:
            {
                if (nsid >= 0xFFFFFFFE)
                {
                    return NvmeStatus.InvalidNamespaceOrFormat;
                }

                var i = 0;
                foreach (var id in Subsystem.Namespaces.Keys)
                {
                    if (id > nsid && i < 1024)
                    {
                        WriteU32(data, i * 4, id);
                        i++;
                    }
                }

                return NvmeStatus.Success;
            }

            case 0x03 when !IsDiscovery:
            {
                if (!Subsystem.TryGetNamespace(nsid, out var ns3))
                {
                    return NvmeStatus.InvalidNamespaceOrFormat;
                }

                // Namespace Identification Descriptors (NVMe Base 2.0, 5.17.2.3): NIDT, NIDL, 2 reserved, NID.
                data[0] = 0x02;
                data[1] = 16;
                ns3.Nguid.TryWriteBytes(data[4..20], bigEndian: true, out _);
                data[20] = 0x03;
                data[21] = 16;
                ns3.Uuid.TryWriteBytes(data[24..40], bigEndian: true, out _);
                data[40] = 0x04;
                data[41] = 1;
                data[44] = 0; // CSI: NVM command set
                return NvmeStatus.Success;
            }

            case 0x06 when !IsDiscovery && (byte)(sqe.Dword(11) >> 24) == 0:
                // I/O Command Set specific Identify Controller, NVM (NVM Command Set 1.0, 4.1.5.1): all limits 0 = none.
                return NvmeStatus.Success;
            default:
                return NvmeStatus.InvalidField;
        }
    }

    private void IdentifyController(Span<byte> d)
    {
        WriteU16(d, 0, 0x1D0F);
        WriteU16(d, 2, 0x1D0F);
        WritePadded(d.Slice(4, 20), Subsystem.Serial);
        WritePadded(d.Slice(24, 40), Subsystem.Model);
        WritePadded(d.Slice(64, 8), "1.0");
        d[72] = 6; // RAB
        d[77] = (byte)_config.Mdts;
        WriteU16(d, 78, Id.Value);
        WriteU32(d, 80, ControllerRegisters.Version);
        WriteU32(d, 92, 1u << 8); // OAES: namespace attribute notices
        d[111] = IsDiscovery ? (byte)2 : (byte)1; // CNTRLTYPE
        d[258] = 3; // ACL
        d[259] = AsyncEventRequestLimit - 1; // AERL
        d[260] = 0x03; // FRMW: slot 1 read-only, 1 slot
        d[261] = 0x04; // LPA: extended data for Get Log Page
        d[262] = 0; // ELPE
        WriteU16(d, 320, 1); // KAS: 100 ms granularity
        d[512] = 0x66; // SQES
        d[513] = 0x44; // CQES
        WriteU16(d, 514, _config.MaxQueueEntries);
        if (!IsDiscovery)
        {
            uint nn = 0;
            foreach (var id in Subsystem.Namespaces.Keys)
            {
                nn = Math.Max(nn, id);
            }

            WriteU32(d, 516, nn);
            WriteU16(d, 520, 0x0C); // ONCS: DSM, Write Zeroes
            d[525] = 0x01; // VWC present
            WriteU16(d, 526, 0); // AWUN (0's based): one logical block is atomic against other commands (StripeLocks)
            WriteU16(d, 528, 0); // AWUPF (0's based): one logical block
        }

        WriteU32(d, 536, 1u | (1u << 20)); // SGLS: SGLs supported, SGL offset (in-capsule)
        WriteNqn(d.Slice(768, 256), Subsystem.Nqn);
        WriteU32(d, 1792, (uint)_config.Ioccsz); // IOCCSZ
        WriteU32(d, 1796, 1); // IORCSZ
        WriteU16(d, 1800, 0); // ICDOFF
        d[1802] = 0; // FCATT: dynamic controller model
        d[1803] = 1; // MSDBD
    }

    private static void IdentifyNamespace(NvmeNamespace ns, Span<byte> d)
    {
        WriteU64(d, 0, ns.BlockCount); // NSZE
        WriteU64(d, 8, ns.BlockCount); // NCAP
        WriteU64(d, 16, ns.BlockCount); // NUSE
        d[25] = 0; // NLBAF (0's based)
        d[26] = 0; // FLBAS: format 0
        d[33] = 0x09; // DLFEAT: deallocated reads zeroes, Write Zeroes may deallocate
        ns.Nguid.TryWriteBytes(d.Slice(104, 16), bigEndian: true, out _);
        d[130] = (byte)ns.BlockSizeShift; // LBAF0.LBADS
    }
}
