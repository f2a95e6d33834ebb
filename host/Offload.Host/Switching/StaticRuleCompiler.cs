using System.Buffers.Binary;
using System.Globalization;
using Offload.Contracts.Messages;

namespace Offload.Host.Switching;

/// <summary>Turns <see cref="StaticRule"/>s into FlowInstall messages (match and mask in the 64-byte key form).</summary>
internal static class StaticRuleCompiler
{
    private const ulong Mac48 = 0xFFFF_FFFF_FFFFUL;

    /// <summary>Highest application id the datapath's stamping actions accept (its tables hold 4096).</summary>
    private const int MaxApplication = 4095;

    /// <summary>Compiles every rule; false with the first problem, naming the rule by its index.</summary>
    public static bool TryCompile(IList<StaticRule> rules, out FlowInstall[] installs, out string error)
    {
        installs = new FlowInstall[rules.Count];
        for (int i = 0; i < rules.Count; i++)
        {
            if (!TryCompile(rules[i], out installs[i], out string problem))
            {
                error = $"Switching:Rules:{i}: {problem}";
                installs = [];
                return false;
            }
        }

        error = "";
        return true;
    }

    public static bool TryCompile(StaticRule rule, out FlowInstall install, out string error)
    {
        ArgumentNullException.ThrowIfNull(rule);
        install = null!;
        ulong w0 = 0, m0 = 0, w1 = 0, m1 = 0, w2 = 0, m2 = 0, w7 = 0, m7 = 0;
        if (rule.InPort is { } port)
        {
            if (port is < 1 or >= 0xFFFF)
            {
                error = $"InPort {port} is out of range; use 1..65534.";
                return false;
            }

            w0 |= (ushort)port;
            m0 |= 0xFFFF;
        }

        if (rule.EtherType is { } etherType)
        {
            if (etherType is < 0 or > 0xFFFF)
            {
                error = $"EtherType {etherType} is out of range; use 0..65535 (2048 IPv4, 2054 ARP).";
                return false;
            }

            w0 |= (ulong)(ushort)etherType << 32;
            m0 |= 0xFFFFUL << 32;
        }

        if (rule.IpProto is { } proto)
        {
            if (proto is < 0 or > 255)
            {
                error = $"IpProto {proto} is out of range; use 0..255 (6 TCP, 17 UDP, 1 ICMP).";
                return false;
            }

            w0 |= (ulong)(byte)proto << 48;
            m0 |= 0xFFUL << 48;
        }

        if (rule.TpSrc is { } tpSrc)
        {
            if (tpSrc is < 0 or > 0xFFFF)
            {
                error = $"TpSrc {tpSrc} is out of range; use 0..65535.";
                return false;
            }

            w7 |= (ushort)tpSrc;
            m7 |= 0xFFFF;
        }

        if (rule.TpDst is { } tpDst)
        {
            if (tpDst is < 0 or > 0xFFFF)
            {
                error = $"TpDst {tpDst} is out of range; use 0..65535.";
                return false;
            }

            w7 |= (ulong)(ushort)tpDst << 16;
            m7 |= 0xFFFFUL << 16;
        }

        if (rule.EthDst is { } dst)
        {
            if (!TryParseMac(dst, out ulong mac))
            {
                error = $"EthDst '{dst}' is not a MAC address like 02:00:00:00:00:0b.";
                return false;
            }

            w1 = mac;
            m1 = Mac48;
        }

        if (rule.EthSrc is { } src)
        {
            if (!TryParseMac(src, out ulong mac))
            {
                error = $"EthSrc '{src}' is not a MAC address like 02:00:00:00:00:0a.";
                return false;
            }

            w2 = mac;
            m2 = Mac48;
        }

        if (!TryParseActions(rule.Actions, out var actions, out error))
        {
            return false;
        }

        install = new FlowInstall { Match = Key(w0, w1, w2, w7), Mask = Key(m0, m1, m2, m7), Priority = rule.Priority, Actions = actions };
        return true;
    }

    private static bool TryParseActions(string text, out FlowAction[] actions, out string error)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        actions = new FlowAction[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i].ToLowerInvariant();
            if (part is "flood" or "drop" or "controller")
            {
                actions[i] = new FlowAction(part switch { "flood" => FlowActionKind.Flood, "drop" => FlowActionKind.Drop, _ => FlowActionKind.Controller }, 0);
            }
            else if (part.StartsWith("output:", StringComparison.Ordinal)
                && ushort.TryParse(part.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) && port is > 0 and < 0xFFFF)
            {
                actions[i] = new FlowAction(FlowActionKind.Output, port);
            }
            else if (part.StartsWith("controller:", StringComparison.Ordinal)
                && uint.TryParse(part.AsSpan(11), NumberStyles.None, CultureInfo.InvariantCulture, out uint userData))
            {
                actions[i] = new FlowAction(FlowActionKind.Controller, userData);
            }
            else if (TryParseApplicationAction(part, "congestion_mark:", FlowActionKind.CongestionMark, out var mark))
            {
                actions[i] = mark;
            }
            else if (TryParseApplicationAction(part, "rate_advertise:", FlowActionKind.RateAdvertise, out var advertise))
            {
                actions[i] = advertise;
            }
            else
            {
                error = $"action '{parts[i]}' is not one of output:N (1..65534), flood, drop, controller, controller:USERDATA, congestion_mark:APP, rate_advertise:APP (APP 0..{MaxApplication}).";
                return false;
            }
        }

        if (actions.Length == 0)
        {
            error = "Actions is empty; use for example output:2 or drop.";
            return false;
        }

        error = "";
        return true;
    }

    private static bool TryParseApplicationAction(string part, string prefix, FlowActionKind kind, out FlowAction action)
    {
        if (part.StartsWith(prefix, StringComparison.Ordinal)
            && ushort.TryParse(part.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out ushort application)
            && application <= MaxApplication)
        {
            action = new FlowAction(kind, application);
            return true;
        }

        action = default;
        return false;
    }

    private static bool TryParseMac(string text, out ulong mac)
    {
        mac = 0;
        var parts = text.Split(':');
        if (parts.Length != 6)
        {
            return false;
        }

        foreach (string part in parts)
        {
            if (part.Length != 2 || !byte.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b))
            {
                return false;
            }

            mac = (mac << 8) | b;
        }

        return true;
    }

    private static byte[] Key(ulong w0, ulong w1, ulong w2, ulong w7)
    {
        var key = new byte[SwitchFlowKey.Size];
        BinaryPrimitives.WriteUInt64LittleEndian(key, w0);
        BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(8), w1);
        BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(16), w2);
        BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(56), w7);
        return key;
    }
}
