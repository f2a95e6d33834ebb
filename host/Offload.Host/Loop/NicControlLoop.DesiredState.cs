using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Controller.Sla;

namespace Offload.Host.Loop;

/// <summary>The desired state's part of the loop: tenant SLAs, pinned rates and policy parameters.</summary>
internal sealed partial class NicControlLoop
{
    private readonly Dictionary<AppId, RateEntry> _pins = [];
    private readonly HashSet<AppId> _slaApplications = [];
    private bool _enforce;
    private bool _requireFlowMetadata;

    /// <summary>Whether rates are enforced (policy parameter <c>enforce</c>).</summary>
    public bool Enforce
    {
        get
        {
            lock (_lock)
            {
                return _enforce;
            }
        }
    }

    /// <summary>Replaces every tenant SLA: applications that lost theirs return to the default SLA.</summary>
    public void SetSlas(IReadOnlyList<AppSla> slas)
    {
        ArgumentNullException.ThrowIfNull(slas);
        lock (_lock)
        {
            var listed = new HashSet<AppId>();
            foreach (var sla in slas)
            {
                _policy.SetSla(sla);
                listed.Add(sla.Application);
            }

            foreach (var app in _slaApplications)
            {
                if (!listed.Contains(app))
                {
                    _policy.SetSla(AppSla.Default(app));
                }
            }

            _slaApplications.Clear();
            _slaApplications.UnionWith(listed);
        }
    }

    /// <summary>Replaces the pinned rates; from the next update on, these applications get exactly these limits.</summary>
    public void SetPins(IReadOnlyList<RateEntry> pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        lock (_lock)
        {
            _pins.Clear();
            foreach (var pin in pins)
            {
                _pins[pin.Application] = pin;
            }

            ForgetLastSent(); // the next evaluation sends a full update with the new pins
        }
    }

    /// <summary>The pinned entry of <paramref name="application"/>, if any.</summary>
    public bool TryGetPin(AppId application, out RateEntry pin)
    {
        lock (_lock)
        {
            return _pins.TryGetValue(application, out pin);
        }
    }

    /// <summary>Sets the runtime policy parameters.</summary>
    public void SetPolicy(bool enforce, bool requireFlowMetadata)
    {
        lock (_lock)
        {
            _enforce = enforce;
            _requireFlowMetadata = requireFlowMetadata;
        }
    }

    // Caller holds _lock.
    private void ApplyPins(RateUpdate update)
    {
        if (_pins.Count == 0)
        {
            return;
        }

        var seen = new HashSet<AppId>();
        for (var i = 0; i < update.Entries.Count; i++)
        {
            var entry = update.Entries[i];
            if (_pins.TryGetValue(entry.Application, out var pin))
            {
                update.Entries[i] = pin with { Congested = entry.Congested };
                seen.Add(entry.Application);
            }
        }

        foreach (var (app, pin) in _pins)
        {
            if (!seen.Contains(app))
            {
                update.Entries.Add(pin);
            }
        }
    }
}
