namespace Offload.Nic.Nvme.Controller;

/// <summary>Admin opcodes used by the target (NVMe Base 2.0, 5 Admin Command Set) and the Fabrics opcode.</summary>
public static class AdminOpcode
{
    public const byte GetLogPage = 0x02;
    public const byte Identify = 0x06;
    public const byte Abort = 0x08;
    public const byte SetFeatures = 0x09;
    public const byte GetFeatures = 0x0A;
    public const byte AsyncEventRequest = 0x0C;
    public const byte KeepAlive = 0x18;
    public const byte Fabrics = 0x7F;
}
