namespace Offload.Controller.Explain;

/// <summary>The rule of the policy that produced a decision.</summary>
public enum DecisionRule
{
    /// <summary>First rate for a new application: its weighted share.</summary>
    Admitted = 0,

    /// <summary>Rate follows measured demand plus headroom (not backlogged).</summary>
    TrackDemand = 1,

    /// <summary>FIG. 2: high SQ, low CQ: the application is starved, raise towards its fair share.</summary>
    StarvedRaise = 2,

    /// <summary>FIG. 2: high SQ and high CQ: the application is consuming and its completions pile up, lower it.</summary>
    ConsumingLower = 3,

    /// <summary>FIG. 2: overall occupancy high: capacity estimate falls, contributors are lowered.</summary>
    CongestionLower = 4,

    /// <summary>FIG. 4: demand predicted from history before the application's load arrives.</summary>
    Predicted = 5,

    /// <summary>Another application joined, left or was predicted; this one is re-divided.</summary>
    Rebalanced = 6,

    /// <summary>The rate is held at the SLA limit.</summary>
    AtLimit = 7,

    /// <summary>The rate is held at the SLA reservation.</summary>
    AtReservation = 8,

    /// <summary>The application disconnected; its rate is released.</summary>
    Released = 9,
}
