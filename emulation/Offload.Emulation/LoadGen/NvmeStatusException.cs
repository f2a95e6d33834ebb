using System.Globalization;

namespace Offload.Emulation.LoadGen;

/// <summary>The target answered a setup command (Connect, Property, Identify) with a non-zero NVMe status.</summary>
public sealed class NvmeStatusException : Exception
{
    /// <summary>Creates the exception for <paramref name="command"/> failing with <paramref name="status"/> (CQE DW3 bits 31:17).</summary>
    public NvmeStatusException(string command, ushort status)
        : base(string.Create(CultureInfo.InvariantCulture, $"{command} failed with NVMe status 0x{status:X4} (SCT {(status >> 8) & 7}, SC 0x{status & 0xFF:X2}, DNR {(status >> 14) & 1})."))
    {
        Status = status;
    }

    /// <summary>Standard constructor.</summary>
    public NvmeStatusException()
    {
    }

    /// <summary>Standard constructor.</summary>
    public NvmeStatusException(string message)
        : base(message)
    {
    }

    /// <summary>Standard constructor.</summary>
    public NvmeStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Status field (SC in bits 7:0, SCT in 10:8, CRD 12:11, M 13, DNR 14).</summary>
    public ushort Status { get; }
}
