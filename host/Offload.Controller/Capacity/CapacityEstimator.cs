namespace Offload.Controller.Capacity;

/// <summary>
/// Estimates the shared memory's capacity in cost units/s from measured completions. The scheduler is
/// work-conserving, so whenever some application is backlogged the device is busy and the completed cost
/// rate is a capacity sample; those samples feed an EWMA. When nothing is backlogged the estimate is held
/// (completions then measure demand, not capacity), except that a sample above the estimate always raises it.
/// </summary>
public sealed class CapacityEstimator
{
    private readonly double _alpha;
    private readonly double _floor;

    /// <summary>Creates an estimator starting at <paramref name="initial"/> cost units/s.</summary>
    public CapacityEstimator(double initial, double alpha = 0.3, double floor = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initial);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        _alpha = alpha;
        _floor = floor;
        Estimate = initial;
    }

    /// <summary>Current estimate, cost units/s.</summary>
    public double Estimate { get; private set; }

    /// <summary>Number of samples taken while backlogged.</summary>
    public long SampleCount { get; private set; }

    /// <summary>Feeds one period's completed cost rate; returns true when the sample was used.</summary>
    public bool Update(double completedCostRate, bool backlogged)
    {
        if (!double.IsFinite(completedCostRate) || completedCostRate < 0)
        {
            return false;
        }

        if (backlogged)
        {
            Estimate = Math.Max(_floor, Estimate + (_alpha * (completedCostRate - Estimate)));
            SampleCount++;
            return true;
        }

        if (completedCostRate > Estimate)
        {
            Estimate = completedCostRate;
            return true;
        }

        return false;
    }
}
