using Offload.Contracts.Ids;
using Offload.Controller.Allocation;
using Offload.Controller.Capacity;
using Offload.Controller.Explain;
using Offload.Controller.Prediction;
using Offload.Controller.Sla;

namespace Offload.Controller.Policy;

/// <summary>
/// The VS controller policy: a pure, deterministic function of telemetry snapshots, SLAs and a
/// <see cref="TimeProvider"/>. It turns queue occupancy into memory request rates (patent FIG. 2) via a
/// damped, work-conserving weighted max-min allocator over the measured capacity, derives resource
/// allocations from flow metadata (FIG. 3), pre-adjusts for returning heavy applications from history
/// (FIG. 4) and records every decision for explain. Single-threaded: the caller serialises calls.
/// </summary>
public sealed partial class VsControllerPolicy
{
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly IHistoryStore? _history;
    private readonly CapacityEstimator _capacity;

    /// <summary>The flow metadata timestamp of the last evaluation (<see cref="Telemetry.TelemetrySnapshot.FlowsTimestampUnixNanos"/>).</summary>
    private long _lastFlowsTimestamp;
    private DateTimeOffset? _lastReallocation;
    private readonly DecisionLog _log;
    private readonly List<AppState> _apps = [];
    private readonly Dictionary<AppId, AppState> _byApp = [];
    private readonly Dictionary<AppId, AppSla> _pendingSlas = [];
    private FairShareRequest[] _requests = new FairShareRequest[16];
    private double[] _targets = new double[16];
    private double[] _previous = new double[16];
    private ulong _epoch;

    /// <summary>Creates the policy. <paramref name="history"/> may be null (no prediction, no history).</summary>
    public VsControllerPolicy(ControllerOptions options, TimeProvider time, IHistoryStore? history = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _history = history;
        _capacity = new CapacityEstimator(options.InitialCapacity, options.CapacityAlpha, probeStep: options.CapacityProbeStep, probeTolerance: options.Deadband, sampleUnits: options.CapacitySampleUnits);
        _log = new DecisionLog(options.DecisionsPerApp);
    }

    /// <summary>Current capacity estimate, cost units/s.</summary>
    public double CapacityEstimate => _capacity.Estimate;

    /// <summary>Number of applications the policy currently allocates to.</summary>
    public int ApplicationCount => _apps.Count;

    /// <summary>Sets or replaces an application's SLA (takes effect at the next evaluation).</summary>
    public void SetSla(AppSla sla)
    {
        ArgumentNullException.ThrowIfNull(sla);
        if (!sla.IsValid)
        {
            throw new ArgumentException($"SLA for {sla.Application} is invalid: weight must be positive and 0 <= reservation <= limit.", nameof(sla));
        }

        if (_byApp.TryGetValue(sla.Application, out var state))
        {
            state.Sla = sla;
        }
        else
        {
            _pendingSlas[sla.Application] = sla;
        }
    }

    /// <summary>The current rate of <paramref name="application"/>, cost units/s.</summary>
    public bool TryGetRate(AppId application, out double rate)
    {
        if (_byApp.TryGetValue(application, out var state) && state.HasRate)
        {
            rate = state.Rate;
            return true;
        }

        rate = 0;
        return false;
    }

    /// <summary>The last <paramref name="count"/> decisions for the application, oldest first.</summary>
    public IReadOnlyList<Decision> Explain(AppId application, int count) => _log.Last(application, count);

    /// <summary>The same decisions in plain words.</summary>
    public IReadOnlyList<string> ExplainText(AppId application, int count)
    {
        var decisions = _log.Last(application, count);
        var lines = new string[decisions.Count];
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = decisions[i].Describe();
        }

        return lines;
    }

    private AppState Admit(AppId application)
    {
        if (_byApp.TryGetValue(application, out var state))
        {
            return state;
        }

        var sla = _pendingSlas.GetValueOrDefault(application) ?? AppSla.Default(application);
        state = new AppState(sla);
        _byApp.Add(application, state);
        _apps.Add(state);
        return state;
    }
}
