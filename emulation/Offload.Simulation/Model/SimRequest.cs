namespace Offload.Simulation.Model;

/// <summary>One I/O in flight in the simulation.</summary>
internal sealed class SimRequest
{
    public int Tenant { get; set; }

    public bool IsWrite { get; set; }

    public int Size { get; set; }

    /// <summary>Cost on the real device.</summary>
    public double DeviceCost { get; set; }

    /// <summary>When the application issued it (host side), ns.</summary>
    public long IssuedNanos { get; set; }
}
