namespace Offload.Nic.Nvme.Controller;

/// <summary>Fabrics command types, FCTYPE (NVMe over Fabrics 1.1, 6).</summary>
public static class FabricsType
{
    public const byte PropertySet = 0x00;
    public const byte Connect = 0x01;
    public const byte PropertyGet = 0x04;
    public const byte Disconnect = 0x08;
}
