namespace Offload.Controller.Allocation;

/// <summary>One claimant in a weighted max-min water-fill.</summary>
/// <param name="Weight">Positive share weight.</param>
/// <param name="Reservation">Minimum granted when capacity allows.</param>
/// <param name="Demand">What the claimant can use now (may be +infinity).</param>
/// <param name="Limit">Hard maximum (may be +infinity).</param>
public readonly record struct FairShareRequest(double Weight, double Reservation, double Demand, double Limit);
