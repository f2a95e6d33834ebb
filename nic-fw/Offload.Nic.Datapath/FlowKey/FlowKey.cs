using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Offload.Nic.Datapath.FlowKeys;

/// <summary>
/// Fixed-size (64-byte) flow key: eight 64-bit words so that masking, hashing and comparing are
/// eight AND/XOR operations. The same struct is used as a mask (a set bit means "this bit matters").
/// Layout (bit ranges inside each word):
/// W0: in_port[0..15] vlan_tci[16..31] ethertype[32..47] ip_proto/arp_op[48..55] ip_tos(DSCP&lt;&lt;2|ECN)[56..63];
/// W1: eth_dst[0..47] tcp_flags[48..59] vlan_present[60];
/// W2: eth_src[0..47];
/// W3,W4: src IP (IPv6 high,low; IPv4/ARP SPA in W3 low 32 bits);
/// W5,W6: dst IP (IPv6 high,low; IPv4/ARP TPA in W5 low 32 bits);
/// W7: tp_src[0..15] tp_dst[16..31] (ICMP: type, code).
/// </summary>
public partial struct FlowKey : IEquatable<FlowKey>
{
    /// <summary>Size of the serialized key.</summary>
    public const int Size = 64;

    internal ulong W0;
    internal ulong W1;
    internal ulong W2;
    internal ulong W3;
    internal ulong W4;
    internal ulong W5;
    internal ulong W6;
    internal ulong W7;

    internal const ulong HashSeed = 0x243F6A8885A308D3UL;

    /// <summary>Word <paramref name="index"/> (0..7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly ulong Word(int index) => Unsafe.Add(ref Unsafe.AsRef(in W0), index);

    /// <summary>A mask with every bit set (exact match).</summary>
    public static FlowKey ExactMask => new()
    {
        W0 = ulong.MaxValue, W1 = ulong.MaxValue, W2 = ulong.MaxValue, W3 = ulong.MaxValue,
        W4 = ulong.MaxValue, W5 = ulong.MaxValue, W6 = ulong.MaxValue, W7 = ulong.MaxValue,
    };

    /// <summary>Returns this key ANDed with <paramref name="mask"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly FlowKey And(in FlowKey mask) => new()
    {
        W0 = W0 & mask.W0, W1 = W1 & mask.W1, W2 = W2 & mask.W2, W3 = W3 & mask.W3,
        W4 = W4 & mask.W4, W5 = W5 & mask.W5, W6 = W6 & mask.W6, W7 = W7 & mask.W7,
    };

    /// <summary>True when (this AND mask) equals <paramref name="masked"/> (which must already be masked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool MatchesMasked(in FlowKey masked, in FlowKey mask) =>
        ((W0 & mask.W0) ^ masked.W0) == 0 && ((W1 & mask.W1) ^ masked.W1) == 0 &&
        ((W2 & mask.W2) ^ masked.W2) == 0 && ((W3 & mask.W3) ^ masked.W3) == 0 &&
        ((W4 & mask.W4) ^ masked.W4) == 0 && ((W5 & mask.W5) ^ masked.W5) == 0 &&
        ((W6 & mask.W6) ^ masked.W6) == 0 && ((W7 & mask.W7) ^ masked.W7) == 0;

    /// <summary>32-bit hash of the whole key (two independent lanes to halve the dependency chain).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly uint Hash()
    {
        if (Sse42.X64.IsSupported)
        {
            // Hardware CRC-32C, two independent chains of four words (as OVS's hash functions do with SSE4.2): about
            // half the latency of the multiply-rotate mix on the exact-match-cache path.
            ulong a = Sse42.X64.Crc32(HashSeed, W0);
            ulong b = Sse42.X64.Crc32(~HashSeed, W4);
            a = Sse42.X64.Crc32(a, W1);
            b = Sse42.X64.Crc32(b, W5);
            a = Sse42.X64.Crc32(a, W2);
            b = Sse42.X64.Crc32(b, W6);
            a = Sse42.X64.Crc32(a, W3);
            b = Sse42.X64.Crc32(b, W7);
            return (uint)a ^ BitOperations.RotateLeft((uint)b, 16);
        }

        return MixHash();
    }

    /// <summary>The portable hash (multiply-rotate mix) used where SSE4.2 is missing; also the benchmark baseline.</summary>
    internal readonly uint MixHash()
    {
        var a = HashSeed;
        var b = ~HashSeed;
        a = Mix(a, W0);
        b = Mix(b, W4);
        a = Mix(a, W1);
        b = Mix(b, W5);
        a = Mix(a, W2);
        b = Mix(b, W6);
        a = Mix(a, W3);
        b = Mix(b, W7);
        return Finish(a ^ BitOperations.RotateLeft(b, 17));
    }

    /// <summary>32-bit hash of (this AND mask); equals <c>And(mask).Hash()</c>.</summary>
    public readonly uint MaskedHash(in FlowKey mask) => And(mask).Hash();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Mix(ulong h, ulong w) => BitOperations.RotateLeft((h ^ w) * 0x9E3779B97F4A7C15UL, 29);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Finish(ulong h)
    {
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 32;
        return (uint)h;
    }

    /// <inheritdoc/>
    public readonly bool Equals(FlowKey other) => SameAs(other);

    /// <summary>Equality without copying either key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool SameAs(in FlowKey other)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            // Two 32-byte compares instead of eight word compares (the exact-match cache's hit path).
            ref var a = ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in W0));
            ref var b = ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in other.W0));
            var low = Vector256.LoadUnsafe(ref a) ^ Vector256.LoadUnsafe(ref b);
            var high = Vector256.LoadUnsafe(ref a, 32) ^ Vector256.LoadUnsafe(ref b, 32);
            return (low | high) == Vector256<byte>.Zero;
        }

        return ((W0 ^ other.W0) | (W1 ^ other.W1) | (W2 ^ other.W2) | (W3 ^ other.W3) |
                (W4 ^ other.W4) | (W5 ^ other.W5) | (W6 ^ other.W6) | (W7 ^ other.W7)) == 0;
    }

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is FlowKey k && Equals(k);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => (int)Hash();

    /// <summary>Equality.</summary>
    public static bool operator ==(FlowKey left, FlowKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(FlowKey left, FlowKey right) => !left.Equals(right);

    /// <summary>Writes the 64-byte little-endian wire form (word order W0..W7) used in FlowMiss/FlowInstall.</summary>
    public readonly bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(destination, W0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], W1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], W2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], W3);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[32..], W4);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[40..], W5);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[48..], W6);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[56..], W7);
        return true;
    }

    /// <summary>Reads the 64-byte wire form written by <see cref="TryWrite"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out FlowKey key)
    {
        key = default;
        if (source.Length < Size)
        {
            return false;
        }

        key.W0 = BinaryPrimitives.ReadUInt64LittleEndian(source);
        key.W1 = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
        key.W2 = BinaryPrimitives.ReadUInt64LittleEndian(source[16..]);
        key.W3 = BinaryPrimitives.ReadUInt64LittleEndian(source[24..]);
        key.W4 = BinaryPrimitives.ReadUInt64LittleEndian(source[32..]);
        key.W5 = BinaryPrimitives.ReadUInt64LittleEndian(source[40..]);
        key.W6 = BinaryPrimitives.ReadUInt64LittleEndian(source[48..]);
        key.W7 = BinaryPrimitives.ReadUInt64LittleEndian(source[56..]);
        return true;
    }
}
