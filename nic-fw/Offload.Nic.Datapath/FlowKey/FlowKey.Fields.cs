namespace Offload.Nic.Datapath.FlowKeys;

/// <summary>Named field accessors over the packed words (usable for keys and masks alike).</summary>
public partial struct FlowKey
{
    private const ulong Mac48 = 0xFFFF_FFFF_FFFFUL;

    /// <summary>Ingress port number.</summary>
    public ushort InPort { readonly get => (ushort)W0; set => W0 = (W0 & ~0xFFFFUL) | value; }

    /// <summary>802.1Q TCI (PCP, DEI, VID); see <see cref="VlanPresent"/>.</summary>
    public ushort VlanTci { readonly get => (ushort)(W0 >> 16); set => W0 = (W0 & ~(0xFFFFUL << 16)) | ((ulong)value << 16); }

    /// <summary>Ethertype after any VLAN tag (IEEE 802.1Q).</summary>
    public ushort EtherType { readonly get => (ushort)(W0 >> 32); set => W0 = (W0 & ~(0xFFFFUL << 32)) | ((ulong)value << 32); }

    /// <summary>IP protocol / IPv6 next header after extension headers; ARP opcode (low 8 bits) for ARP.</summary>
    public byte IpProto { readonly get => (byte)(W0 >> 48); set => W0 = (W0 & ~(0xFFUL << 48)) | ((ulong)value << 48); }

    /// <summary>IPv4 TOS / IPv6 traffic class: DSCP in the upper 6 bits, ECN in the lower 2 (RFC 3168).</summary>
    public byte IpTos { readonly get => (byte)(W0 >> 56); set => W0 = (W0 & ~(0xFFUL << 56)) | ((ulong)value << 56); }

    /// <summary>DSCP (upper six bits of <see cref="IpTos"/>).</summary>
    public readonly byte Dscp => (byte)(IpTos >> 2);

    /// <summary>ECN codepoint (lower two bits of <see cref="IpTos"/>).</summary>
    public readonly byte Ecn => (byte)(IpTos & 3);

    /// <summary>Destination MAC, 48 bits, first octet most significant.</summary>
    public ulong EthDst { readonly get => W1 & Mac48; set => W1 = (W1 & ~Mac48) | (value & Mac48); }

    /// <summary>TCP flags (12 bits: NS..FIN).</summary>
    public ushort TcpFlags { readonly get => (ushort)((W1 >> 48) & 0xFFF); set => W1 = (W1 & ~(0xFFFUL << 48)) | ((ulong)(value & 0xFFF) << 48); }

    /// <summary>1 when the frame carried an 802.1Q tag.</summary>
    public bool VlanPresent { readonly get => ((W1 >> 60) & 1) != 0; set => W1 = (W1 & ~(1UL << 60)) | ((value ? 1UL : 0UL) << 60); }

    /// <summary>Source MAC, 48 bits.</summary>
    public ulong EthSrc { readonly get => W2 & Mac48; set => W2 = (W2 & ~Mac48) | (value & Mac48); }

    /// <summary>IPv4 source address (or ARP SPA) as a big-endian-read integer.</summary>
    public uint Ipv4Src { readonly get => (uint)W3; set { W3 = value; W4 = 0; } }

    /// <summary>IPv4 destination address (or ARP TPA).</summary>
    public uint Ipv4Dst { readonly get => (uint)W5; set { W5 = value; W6 = 0; } }

    /// <summary>IPv6 source, high 64 bits.</summary>
    public ulong Ipv6SrcHigh { readonly get => W3; set => W3 = value; }

    /// <summary>IPv6 source, low 64 bits.</summary>
    public ulong Ipv6SrcLow { readonly get => W4; set => W4 = value; }

    /// <summary>IPv6 destination, high 64 bits.</summary>
    public ulong Ipv6DstHigh { readonly get => W5; set => W5 = value; }

    /// <summary>IPv6 destination, low 64 bits.</summary>
    public ulong Ipv6DstLow { readonly get => W6; set => W6 = value; }

    /// <summary>TCP/UDP source port; ICMP type.</summary>
    public ushort TpSrc { readonly get => (ushort)W7; set => W7 = (W7 & ~0xFFFFUL) | value; }

    /// <summary>TCP/UDP destination port; ICMP code.</summary>
    public ushort TpDst { readonly get => (ushort)(W7 >> 16); set => W7 = (W7 & ~(0xFFFFUL << 16)) | ((ulong)value << 16); }
}
