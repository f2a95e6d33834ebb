namespace Offload.Contracts.Messages;

/// <summary>Datapath action kinds on the wire (see docs/PROTOCOL.md for each argument). Never renumbered.</summary>
public enum FlowActionKind : ushort
{
    /// <summary>Argument: port number.</summary>
    Output = 1,

    /// <summary>Flood to every port but the input port.</summary>
    Flood = 2,

    /// <summary>Argument: drop reason code.</summary>
    Drop = 3,

    /// <summary>Argument: 48-bit MAC.</summary>
    SetEthSource = 4,

    /// <summary>Argument: 48-bit MAC.</summary>
    SetEthDestination = 5,

    /// <summary>Argument: TPID &lt;&lt; 16 | TCI.</summary>
    PushVlan = 6,

    PopVlan = 7,

    /// <summary>Argument: DSCP (0-63).</summary>
    SetDscp = 8,

    /// <summary>Argument: ECN (0-3).</summary>
    SetEcn = 9,

    /// <summary>Argument: meter id.</summary>
    Meter = 10,

    /// <summary>Send to the controller as an upcall.</summary>
    Controller = 11,

    /// <summary>Argument: application id. Marks ECN CE on ECT packets while the application is flagged congested.</summary>
    CongestionMark = 12,

    /// <summary>Argument: application id. Carries the application's advertised rate in-band toward its source.</summary>
    RateAdvertise = 13,
}
