namespace Offload.Nic.Datapath.Actions;

/// <summary>Kind of a datapath action. Values are stable (they appear in FlowInstall).</summary>
public enum ActionType
{
    /// <summary>Unused slot.</summary>
    None = 0,
    /// <summary>Transmit a copy on port <c>Arg</c>.</summary>
    Output = 1,
    /// <summary>Transmit a copy on every port except the ingress port.</summary>
    Flood = 2,
    /// <summary>Drop with reason <c>Arg</c> (a <see cref="DropReason"/>); ends the list.</summary>
    Drop = 3,
    /// <summary>Send the packet to the controller (upcall sink) as a packet-in.</summary>
    Controller = 4,
    /// <summary>Set the Ethernet source to <c>Value</c> (48 bits).</summary>
    SetEthSrc = 5,
    /// <summary>Set the Ethernet destination to <c>Value</c> (48 bits).</summary>
    SetEthDst = 6,
    /// <summary>Push an 802.1Q tag with TCI <c>Arg</c>.</summary>
    PushVlan = 7,
    /// <summary>Pop the outer 802.1Q/802.1ad tag.</summary>
    PopVlan = 8,
    /// <summary>Set DSCP to <c>Arg</c> (IPv4 checksum fixed up).</summary>
    SetDscp = 9,
    /// <summary>Set ECN to <c>Arg</c> (IPv4 checksum fixed up).</summary>
    SetEcn = 10,
    /// <summary>Apply meter <c>Arg</c>: token-bucket policer with a drop or DSCP-remark band.</summary>
    Meter = 11,
    /// <summary>Mark ECN CE on ECT packets when application <c>Arg</c> is flagged congested (RFC 3168).</summary>
    CongestionMark = 12,
    /// <summary>Insert the rate-advertisement IPv4 option carrying application <c>Arg</c>'s advertised rate.</summary>
    RateAdvertise = 13,
}
