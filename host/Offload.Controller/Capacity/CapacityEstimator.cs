namespace Offload.Controller.Capacity;

/// <summary>
/// Estimates the shared memory's capacity in cost units/s from measured completions. A period's completed cost rate
/// is a capacity sample only when the memory is shown to be the bottleneck (<see cref="Observe"/>): a backlogged
/// application completes clearly less than the rate it was granted, or clearly more (the NIC lent it idle capacity,
/// so the memory ran full). Samples feed an EWMA. When backlogged applications are held exactly at their own rates
/// the completions measure those rates, not the memory: the estimate is never pulled down then, and it probes upward
/// (multiplicatively, <see cref="ProbeStep"/> a period) while the memory delivered all of the estimate. When nothing
/// is backlogged the estimate is held (completions measure demand), except that a sample above it always raises it.
/// </summary>
public sealed class CapacityEstimator
{
    private readonly double _alpha;
    private readonly double _floor;
    private readonly double _probeTolerance;
    private readonly double _sampleUnits;
    private double _pendingUnits;
    private double _pendingSeconds;

    /// <summary>Creates an estimator starting at <paramref name="initial"/> cost units/s.</summary>
    /// <param name="sampleUnits">Completed cost units one capacity sample must span: consecutive memory-bound periods are
    /// pooled (their units over their time) until they reach it. 0: every period is a sample.</param>
    public CapacityEstimator(double initial, double alpha = 0.3, double floor = 1.0, double probeStep = 0.02, double probeTolerance = 0.02, double sampleUnits = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleUnits);
        _sampleUnits = sampleUnits;
        ProbeStep = probeStep;
        _probeTolerance = probeTolerance;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initial);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        _alpha = alpha;
        _floor = floor;
        Estimate = initial;
    }

    /// <summary>Current estimate, cost units/s.</summary>
    public double Estimate { get; private set; }

    /// <summary>Relative upward step per period while backlogged applications are held at their own rates.</summary>
    public double ProbeStep { get; }

    /// <summary>Periods in which the estimate probed upward.</summary>
    public long ProbeCount { get; private set; }

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

    /// <summary>
    /// Feeds one period. <paramref name="backlogged"/>: some application not held by its SLA limit had demand queued.
    /// <paramref name="memoryBound"/>: the memory was shown to be the bottleneck (a backlogged application completed
    /// clearly below or above its granted rate, or overall occupancy was high). Returns true when the estimate moved.
    /// With <paramref name="periodSeconds"/> and a sample size (the constructor's <c>sampleUnits</c>), memory-bound
    /// periods are pooled into one sample of at least that many completed units: a 10 ms period at 5,000 IOPS holds
    /// 50 completions, whose count varies by 15-20% from one period to the next, and the estimate (and every
    /// backlogged tenant's rate with it) swung by 6-8% when each period was a sample.
    /// </summary>
    public bool Observe(double completedCostRate, bool backlogged, bool memoryBound, double periodSeconds = 0)
    {
        if (!double.IsFinite(completedCostRate) || completedCostRate < 0)
        {
            return false;
        }

        if (backlogged && memoryBound)
        {
            if (_sampleUnits <= 0 || !(periodSeconds > 0))
            {
                return Update(completedCostRate, backlogged: true);
            }

            _pendingUnits += completedCostRate * periodSeconds;
            _pendingSeconds += periodSeconds;
            if (_pendingUnits < _sampleUnits)
            {
                return false; // pooled with the next memory-bound period
            }

            double pooled = _pendingUnits / _pendingSeconds;
            (_pendingUnits, _pendingSeconds) = (0, 0);
            return Update(pooled, backlogged: true);
        }

        // A pool is a run of consecutive memory-bound periods: any other period ends it unsampled.
        (_pendingUnits, _pendingSeconds) = (0, 0);

        if (backlogged && completedCostRate >= Estimate * (1 - _probeTolerance))
        {
            // Held at their own rates and the memory delivered the whole estimate: there may be more.
            // Never more than the tolerance above what was delivered: a probe that is not taken up stops there.
            Estimate = Math.Max(Estimate, Math.Min(Estimate * (1 + ProbeStep), completedCostRate / (1 - _probeTolerance)));
            ProbeCount++;
            return true;
        }

        return Update(completedCostRate, backlogged: false);
    }
}
