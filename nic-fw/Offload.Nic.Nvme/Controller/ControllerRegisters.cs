namespace Offload.Nic.Nvme.Controller;

/// <summary>Property offsets and bit fields (NVMe Base 2.0, 3.1.4 Controller Properties).</summary>
public static class ControllerRegisters
{
    public const uint Cap = 0x00;
    public const uint Vs = 0x08;
    public const uint Cc = 0x14;
    public const uint Csts = 0x1C;
    public const uint Nssr = 0x20;

    public const uint CcEnable = 1u << 0;
    public const int CcShnShift = 14;
    public const uint CcShnMask = 3u << CcShnShift;

    public const uint CstsReady = 1u << 0;
    public const uint CstsFatal = 1u << 1;
    public const int CstsShstShift = 2;
    public const uint CstsShstMask = 3u << CstsShstShift;
    public const uint CstsShstComplete = 2u << CstsShstShift;

    /// <summary>NVMe 1.4 (VS MJR=1, MNR=4).</summary>
    public const uint Version = 0x00010400;

    /// <summary>CAP: MQES (0's based) @15:0, CQR @16, TO @31:24 (500 ms units), CSS NVM @37, MPSMIN=MPSMAX=0 (4 KiB).</summary>
    public static ulong Capabilities(int maxQueueEntries) =>
        (ulong)(maxQueueEntries - 1) | (1UL << 16) | (20UL << 24) | (1UL << 37);
}
