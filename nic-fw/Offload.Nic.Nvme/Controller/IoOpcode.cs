namespace Offload.Nic.Nvme.Controller;

/// <summary>NVM command set opcodes (NVM Command Set Spec 1.0, 3).</summary>
public static class IoOpcode
{
    public const byte Flush = 0x00;
    public const byte Write = 0x01;
    public const byte Read = 0x02;
    public const byte WriteZeroes = 0x08;
    public const byte DatasetManagement = 0x09;
}
