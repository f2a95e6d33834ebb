using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), initial value 0xFFFFFFFF and final XOR 0xFFFFFFFF,
/// as used by iSCSI (RFC 3720 B.4) and NVMe/TCP digests. Check value for "123456789" is 0xE3069283.
/// Uses the SSE4.2 / ARMv8 CRC32C instructions through <see cref="BitOperations.Crc32C(uint, ulong)"/>.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    public static uint Compute(in ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            return Compute(data.FirstSpan);
        }

        uint crc = 0xFFFFFFFFu;
        foreach (var segment in data)
        {
            crc = Append(crc, segment.Span);
        }

        return ~crc;
    }

    /// <summary>Bytes per lane of the interleaved loop: three lanes of 4 KiB (a 12 KiB stride).</summary>
    private const int Lane = 4096;

    /// <summary>Bytes per lane of the short interleaved loop that takes what is left under 12 KiB: three lanes of
    /// 512 bytes (a block of packed flow records CRC'd while it is still in the L1 cache is ~16 KiB).</summary>
    private const int ShortLane = 512;

    /// <summary>Multiplication by x^(8 x Lane) and x^(16 x Lane) mod P (reflected): what moves a CRC register past
    /// one and two lanes of data, as lookup tables (<see cref="ConstantMultiplier"/>).</summary>
    private static readonly ConstantMultiplier s_shiftOne = new(PowerOfX(8 * Lane));
    private static readonly ConstantMultiplier s_shiftTwo = new(PowerOfX(16 * Lane));
    private static readonly ConstantMultiplier s_shortShiftOne = new(PowerOfX(8 * ShortLane));
    private static readonly ConstantMultiplier s_shortShiftTwo = new(PowerOfX(16 * ShortLane));

    /// <summary>Continues a CRC register (no initial or final XOR applied) over <paramref name="data"/>.</summary>
    /// <remarks>
    /// One CRC32C instruction depends on the previous one's result (3 cycles of latency, 1 of throughput on current
    /// x64 and arm64 cores), so a single chain runs at a third of the instruction's rate. Inputs of 12 KiB and more are
    /// processed as three independent 4 KiB lanes per stride, the second and third starting from 0, and joined by the
    /// linearity of the CRC: crc(s, A||B) = crc(s, A) x x^(8|B|) mod P xor crc(0, B) (zlib's crc32_combine relies on
    /// the same identity). Frames of 1 MiB (10,000 packed flow records) and 128 KiB NVMe/TCP data digests take this path.
    /// What is left, from 1.5 KiB, goes the same way in three 512-byte lanes (a 16.5 KiB block of packed flow records).
    /// </remarks>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        crc = Interleaved(crc, ref data, Lane, s_shiftOne, s_shiftTwo);
        crc = Interleaved(crc, ref data, ShortLane, s_shortShiftOne, s_shortShiftTwo);
        return Serial(crc, data);
    }

    /// <summary>Strides of three independent lanes of <paramref name="lane"/> bytes while the data holds one, joined by
    /// the shifts for one and two lanes; advances <paramref name="data"/> past them.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static uint Interleaved(uint crc, ref ReadOnlySpan<byte> data, int lane, ConstantMultiplier shiftOne, ConstantMultiplier shiftTwo)
    {
        while (data.Length >= 3 * lane)
        {
            uint a = crc, b = 0, c = 0;
            ref byte start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data);
            for (int i = 0; i < lane; i += 8)
            {
                a = BitOperations.Crc32C(a, System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref System.Runtime.CompilerServices.Unsafe.Add(ref start, i)));
                b = BitOperations.Crc32C(b, System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref System.Runtime.CompilerServices.Unsafe.Add(ref start, lane + i)));
                c = BitOperations.Crc32C(c, System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref System.Runtime.CompilerServices.Unsafe.Add(ref start, (2 * lane) + i)));
            }

            crc = shiftTwo.Multiply(a) ^ shiftOne.Multiply(b) ^ c;
            data = data[(3 * lane)..];
        }

        return crc;
    }

    /// <summary>The register of A||B from the register of A (any start) and the register of B started from 0, where B
    /// is <paramref name="lengthB"/> bytes: crc(s, A||B) = crc(s, A) x x^(8|B|) mod P xor crc(0, B). A sender that
    /// has B's register already (computed while B was being written) frames A||B without reading B again.</summary>
    public static uint Combine(uint registerA, uint registerB, long lengthB) => Multiply(registerA, LengthFactor(lengthB)) ^ registerB;

    /// <summary><see cref="Combine(uint, uint, long)"/> with B's length given as its factor
    /// (<see cref="LengthFactor"/>), for a caller that combines many blocks of one size.</summary>
    public static uint Combine(uint registerA, uint registerB, uint lengthFactor) => Multiply(registerA, lengthFactor) ^ registerB;

    /// <summary>x^(8 x 2^k) mod P for every k: a length's factor is the product of those of its set bits (at most 63
    /// multiplications, about a microsecond; no cache, so any thread may call it).</summary>
    private static readonly uint[] s_bytePowers = BytePowers();

    /// <summary>x^(8 x <paramref name="length"/>) mod P: what moves a register past that many bytes.</summary>
    public static uint LengthFactor(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        uint factor = 1u << 31; // x^0
        for (int k = 0; length != 0; k++, length >>= 1)
        {
            if ((length & 1) != 0)
            {
                factor = Multiply(factor, s_bytePowers[k]);
            }
        }

        return factor;
    }

    private static uint[] BytePowers()
    {
        var powers = new uint[63];
        powers[0] = PowerOfX(8);
        for (int k = 1; k < powers.Length; k++)
        {
            powers[k] = Multiply(powers[k - 1], powers[k - 1]);
        }

        return powers;
    }

    private static uint Serial(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>a x b mod P over GF(2), both in the reflected bit order (bit 31 is x^0).</summary>
    internal static uint Multiply(uint a, uint b)
    {
        const uint Poly = 0x82F63B78u;
        uint product = 0;
        for (uint bit = 1u << 31; bit != 0; bit >>= 1)
        {
            if ((a & bit) != 0)
            {
                product ^= b;
            }

            b = (b & 1) != 0 ? (b >> 1) ^ Poly : b >> 1;
        }

        return product;
    }

    /// <summary>
    /// Multiplication of a register by one constant mod P, by four table lookups. The product is linear in the register
    /// over GF(2), so it is the XOR of the products of its four bytes, each looked up in a 256-entry table (4 KiB in
    /// all). The interleaved loop joins its lanes with two of these per stride: the bit-at-a-time
    /// <see cref="Multiply"/> (32 dependent, branching steps) cost several times the stride's CRC instructions on a
    /// 16.5 KiB block of flow records.
    /// </summary>
    internal sealed class ConstantMultiplier
    {
        private readonly uint[] _table = new uint[4 * 256];

        public ConstantMultiplier(uint constant)
        {
            for (int i = 0; i < 4; i++)
            {
                for (uint b = 0; b < 256; b++)
                {
                    _table[(i * 256) + (int)b] = Crc32C.Multiply(b << (8 * i), constant);
                }
            }
        }

        /// <summary><paramref name="register"/> x the constant mod P (what <see cref="Crc32C.Multiply"/> gives).</summary>
        public uint Multiply(uint register)
        {
            ref uint t = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_table);
            return System.Runtime.CompilerServices.Unsafe.Add(ref t, (int)(register & 0xFF))
                ^ System.Runtime.CompilerServices.Unsafe.Add(ref t, 256 + (int)((register >> 8) & 0xFF))
                ^ System.Runtime.CompilerServices.Unsafe.Add(ref t, 512 + (int)((register >> 16) & 0xFF))
                ^ System.Runtime.CompilerServices.Unsafe.Add(ref t, 768 + (int)(register >> 24));
        }
    }

    /// <summary>x^n mod P (reflected), by square-and-multiply.</summary>
    internal static uint PowerOfX(long n)
    {
        uint result = 1u << 31; // x^0
        uint square = 1u << 30; // x^1
        for (; n != 0; n >>= 1)
        {
            if ((n & 1) != 0)
            {
                result = Multiply(result, square);
            }

            square = Multiply(square, square);
        }

        return result;
    }
}
