using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath.Actions;

/// <summary>One datapath action: a type and two operands whose meaning depends on the type.</summary>
/// <param name="Type">The action.</param>
/// <param name="Arg">Port number, TCI, DSCP, ECN, meter id, application id or drop reason.</param>
/// <param name="Value">MAC address for set_field actions.</param>
public readonly record struct FlowAction(ActionType Type, uint Arg = 0, ulong Value = 0)
{
    /// <summary>output(port).</summary>
    public static FlowAction Output(PortNo port) => new(ActionType.Output, port.Value);

    /// <summary>flood.</summary>
    public static FlowAction Flood() => new(ActionType.Flood);

    /// <summary>drop(reason).</summary>
    public static FlowAction Drop(DropReason reason = DropReason.NoRoute) => new(ActionType.Drop, (uint)reason);

    /// <summary>controller(userdata): a copy of the packet goes up to the controller with <paramref name="userData"/>.</summary>
    public static FlowAction Controller(uint userData = 0) => new(ActionType.Controller, userData);

    /// <summary>set_field(eth_src).</summary>
    public static FlowAction SetEthSrc(ulong mac) => new(ActionType.SetEthSrc, 0, mac);

    /// <summary>set_field(eth_dst).</summary>
    public static FlowAction SetEthDst(ulong mac) => new(ActionType.SetEthDst, 0, mac);

    /// <summary>push_vlan(tci).</summary>
    public static FlowAction PushVlan(ushort tci) => new(ActionType.PushVlan, tci);

    /// <summary>pop_vlan.</summary>
    public static FlowAction PopVlan() => new(ActionType.PopVlan);

    /// <summary>set_field(dscp).</summary>
    public static FlowAction SetDscp(byte dscp) => new(ActionType.SetDscp, (uint)(dscp & 0x3F));

    /// <summary>set_field(ecn).</summary>
    public static FlowAction SetEcn(byte ecn) => new(ActionType.SetEcn, (uint)(ecn & 3));

    /// <summary>meter(id).</summary>
    public static FlowAction Meter(MeterId meter) => new(ActionType.Meter, meter.Value);

    /// <summary>congestion_mark(application).</summary>
    public static FlowAction CongestionMark(AppId application) => new(ActionType.CongestionMark, application.Value);

    /// <summary>rate_advertise(application).</summary>
    public static FlowAction RateAdvertise(AppId application) => new(ActionType.RateAdvertise, application.Value);
}
