namespace Offload.Controller.Cost;

/// <summary>
/// Converts requests into "cost units" of shared-memory work so that a write-heavy tenant cannot take a
/// read-heavy tenant's share (Gimbal's write-cost estimation). One 4 KiB read costs 1 unit; a write costs
/// <see cref="WriteCost"/> units per 4 KiB; larger blocks scale linearly, smaller ones cost the 4 KiB minimum.
/// </summary>
/// <param name="ReadCost">Cost of one 4 KiB read (normally 1).</param>
/// <param name="WriteCost">Cost of one 4 KiB write; typically 2-4x a read on flash.</param>
/// <param name="UnitSize">Block size in bytes that one unit of <see cref="ReadCost"/> covers.</param>
public sealed record CostModel(double ReadCost = 1.0, double WriteCost = 2.0, int UnitSize = 4096)
{
    /// <summary>The identity model: every request costs 1 regardless of direction (cost model off).</summary>
    public static CostModel Uniform { get; } = new(1.0, 1.0);

    /// <summary>Cost of one read of <paramref name="size"/> bytes.</summary>
    public double Read(double size) => ReadCost * Scale(size);

    /// <summary>Cost of one write of <paramref name="size"/> bytes.</summary>
    public double Write(double size) => WriteCost * Scale(size);

    /// <summary>Cost units/s for the given request rates and sizes.</summary>
    public double Rate(double readsPerSecond, double readSize, double writesPerSecond, double writeSize)
        => (readsPerSecond * Read(readSize)) + (writesPerSecond * Write(writeSize));

    private double Scale(double size) => size <= UnitSize ? 1.0 : size / UnitSize;
}
