using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace Offload.Host.Live;

/// <summary>
/// The datapath's 64-byte flow key (docs/PROTOCOL.md, "Flow key": eight little-endian 64-bit words) as
/// <c>ovs-ofctl</c>-style text: parses filters such as <c>tcp,tp_dst=4420</c> into a match and mask, and formats a
/// megaflow's match under its mask (<c>in_port=1,eth_type=0x0800,ip_proto=6,tp_dst=4420</c>).
/// </summary>
internal static class FlowMatchText
{
    public const int KeySize = 64;

    private const ulong Mac48 = 0xFFFF_FFFF_FFFFUL;

    // (name, word, shift, width in bits)
    private static readonly (string Name, int Word, int Shift, int Bits)[] Fields =
    [
        ("in_port", 0, 0, 16),
        ("vlan_tci", 0, 16, 16),
        ("eth_type", 0, 32, 16),
        ("ip_proto", 0, 48, 8),
        ("ip_tos", 0, 56, 8),
        ("eth_dst", 1, 0, 48),
        ("tcp_flags", 1, 48, 12),
        ("eth_src", 2, 0, 48),
        ("nw_src", 3, 0, 32),
        ("nw_dst", 5, 0, 32),
        ("tp_src", 7, 0, 16),
        ("tp_dst", 7, 16, 16),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["dl_type"] = "eth_type", ["nw_proto"] = "ip_proto", ["dl_src"] = "eth_src", ["dl_dst"] = "eth_dst",
        ["ip_src"] = "nw_src", ["ip_dst"] = "nw_dst", ["nw_tos"] = "ip_tos",
    };

    /// <summary>
    /// Parses comma-separated <c>field=value[/mask]</c> items and the shorthands <c>ip</c>, <c>arp</c>, <c>ipv6</c>,
    /// <c>tcp</c>, <c>udp</c>, <c>icmp</c>; false with a one-line reason when something is not understood.
    /// </summary>
    public static bool TryParse(string text, out byte[] match, out byte[] mask, out string error)
    {
        var m = new ulong[8];
        var k = new ulong[8];
        match = [];
        mask = [];
        error = string.Empty;
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (!TryShorthand(raw, m, k))
                {
                    error = $"'{raw}' is not a match field; use field=value (in_port, eth_type, ip_proto, eth_src, eth_dst, nw_src, nw_dst, tp_src, tp_dst, vlan_tci) or ip, tcp, udp, icmp, arp, ipv6.";
                    return false;
                }

                continue;
            }

            string name = raw[..eq].Trim();
            name = Aliases.GetValueOrDefault(name, name);
            string valueText = raw[(eq + 1)..].Trim();
            int field = Array.FindIndex(Fields, f => f.Name == name);
            if (field < 0)
            {
                error = $"'{name}' is not a match field; known fields: {string.Join(", ", Fields.Select(f => f.Name))}.";
                return false;
            }

            var (_, word, shift, bits) = Fields[field];
            ulong full = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
            string? maskText = null;
            int slash = valueText.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                maskText = valueText[(slash + 1)..];
                valueText = valueText[..slash];
            }

            if (!TryValue(name, valueText, out ulong value) || value > full)
            {
                error = $"'{raw}': '{valueText}' is not a valid {name} value.";
                return false;
            }

            ulong fieldMask = full;
            if (maskText is not null)
            {
                if (name is "nw_src" or "nw_dst" && int.TryParse(maskText, NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) && prefix is >= 0 and <= 32)
                {
                    fieldMask = prefix == 0 ? 0 : (0xFFFF_FFFFUL << (32 - prefix)) & 0xFFFF_FFFFUL;
                }
                else if (!TryValue(name, maskText, out fieldMask) || fieldMask > full)
                {
                    error = $"'{raw}': '{maskText}' is not a valid mask for {name}.";
                    return false;
                }
            }

            m[word] = (m[word] & ~(full << shift)) | ((value & fieldMask) << shift);
            k[word] |= fieldMask << shift;
        }

        match = ToBytes(m);
        mask = ToBytes(k);
        return true;
    }

    /// <summary>Formats <paramref name="match"/> under <paramref name="mask"/>; <c>*</c> when nothing is matched.</summary>
    public static string Format(ReadOnlySpan<byte> match, ReadOnlySpan<byte> mask)
    {
        if (match.Length < KeySize || mask.Length < KeySize)
        {
            return "?";
        }

        var text = new StringBuilder();
        foreach (var (name, word, shift, bits) in Fields)
        {
            ulong full = (1UL << bits) - 1;
            ulong fieldMask = (BinaryPrimitives.ReadUInt64LittleEndian(mask[(word * 8)..]) >> shift) & full;
            if (fieldMask == 0)
            {
                continue;
            }

            ulong value = (BinaryPrimitives.ReadUInt64LittleEndian(match[(word * 8)..]) >> shift) & full & fieldMask;
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name).Append('=').Append(FormatValue(name, value));
            if (fieldMask != full)
            {
                text.Append('/').Append(FormatValue(name, fieldMask));
            }
        }

        return text.Length == 0 ? "*" : text.ToString();
    }

    /// <summary>Sets in_port in an existing match/mask pair (for <c>--port</c>).</summary>
    public static void SetInPort(byte[] match, byte[] mask, ushort port)
    {
        ulong m = BinaryPrimitives.ReadUInt64LittleEndian(match);
        ulong k = BinaryPrimitives.ReadUInt64LittleEndian(mask);
        BinaryPrimitives.WriteUInt64LittleEndian(match, (m & ~0xFFFFUL) | port);
        BinaryPrimitives.WriteUInt64LittleEndian(mask, k | 0xFFFFUL);
    }

    private static bool TryShorthand(string name, ulong[] m, ulong[] k)
    {
        (ushort EthType, byte Proto)? v = name switch
        {
            "ip" => (0x0800, 0),
            "arp" => (0x0806, 0),
            "ipv6" => (0x86DD, 0),
            "tcp" => (0x0800, 6),
            "udp" => (0x0800, 17),
            "icmp" => (0x0800, 1),
            "tcp6" => (0x86DD, 6),
            "udp6" => (0x86DD, 17),
            _ => null,
        };
        if (v is not { } s)
        {
            return false;
        }

        m[0] = (m[0] & ~(0xFFFFUL << 32)) | ((ulong)s.EthType << 32);
        k[0] |= 0xFFFFUL << 32;
        if (s.Proto != 0)
        {
            m[0] = (m[0] & ~(0xFFUL << 48)) | ((ulong)s.Proto << 48);
            k[0] |= 0xFFUL << 48;
        }

        return true;
    }

    private static bool TryValue(string name, string text, out ulong value)
    {
        value = 0;
        if (name is "eth_src" or "eth_dst")
        {
            var parts = text.Split(':');
            if (parts.Length != 6)
            {
                return false;
            }

            foreach (var part in parts)
            {
                if (!byte.TryParse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte b))
                {
                    return false;
                }

                value = (value << 8) | b;
            }

            return true;
        }

        if (name is "nw_src" or "nw_dst")
        {
            if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
            return true;
        }

        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string FormatValue(string name, ulong value) => name switch
    {
        "eth_src" or "eth_dst" => string.Join(':', Enumerable.Range(0, 6).Select(i => ((value >> (40 - (8 * i))) & 0xFF).ToString("x2", CultureInfo.InvariantCulture))),
        "nw_src" or "nw_dst" => new IPAddress(BinaryPrimitives.ReverseEndianness((uint)value)).ToString(),
        "eth_type" or "vlan_tci" or "tcp_flags" => "0x" + value.ToString("x4", CultureInfo.InvariantCulture),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private static byte[] ToBytes(ulong[] words)
    {
        var bytes = new byte[KeySize];
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), words[i]);
        }

        return bytes;
    }
}
