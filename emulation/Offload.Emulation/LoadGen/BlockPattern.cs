using System.Buffers.Binary;

namespace Offload.Emulation.LoadGen;

/// <summary>
/// The verifiable data pattern the load generator writes: every 512-byte sector carries a magic, its own byte
/// address and the write's sequence number, and the rest is a xorshift stream seeded from both. A read checks each
/// sector: all-zero means never written; anything else must match exactly (catches corruption, misdirected or
/// torn writes, stale data from a different address).
/// </summary>
public static class BlockPattern
{
    /// <summary>Granularity of the pattern.</summary>
    public const int SectorSize = 512;

    private const ulong Magic = 0x4F46_464C_4F41_4431; // "OFFLOAD1"

    /// <summary>Fills <paramref name="buffer"/> (a multiple of 512 bytes) for device byte offset <paramref name="offset"/>.</summary>
    public static void Fill(Span<byte> buffer, ulong offset, ulong sequence)
    {
        for (var sector = 0; sector + SectorSize <= buffer.Length; sector += SectorSize)
        {
            FillSector(buffer.Slice(sector, SectorSize), offset + (ulong)sector, sequence);
        }
    }

    /// <summary>Checks every sector; returns the number of sectors that do not verify (unwritten sectors are fine).</summary>
    public static int CountMismatches(ReadOnlySpan<byte> buffer, ulong offset)
    {
        Span<byte> expected = stackalloc byte[SectorSize];
        var bad = 0;
        for (var sector = 0; sector + SectorSize <= buffer.Length; sector += SectorSize)
        {
            var actual = buffer.Slice(sector, SectorSize);
            if (!actual.ContainsAnyExcept((byte)0))
            {
                continue;
            }

            var address = offset + (ulong)sector;
            if (BinaryPrimitives.ReadUInt64LittleEndian(actual) != Magic || BinaryPrimitives.ReadUInt64LittleEndian(actual[8..]) != address)
            {
                bad++;
                continue;
            }

            FillSector(expected, address, BinaryPrimitives.ReadUInt64LittleEndian(actual[16..]));
            if (!actual.SequenceEqual(expected))
            {
                bad++;
            }
        }

        return bad;
    }

    private static void FillSector(Span<byte> sector, ulong address, ulong sequence)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(sector, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(sector[8..], address);
        BinaryPrimitives.WriteUInt64LittleEndian(sector[16..], sequence);
        // splitmix64 finalizer over (address, sequence); never 0 so the xorshift below never sticks.
        var state = (address * 0x9E37_79B9_7F4A_7C15) ^ (sequence * 0xD1B5_4A32_D192_ED03);
        state = (state ^ (state >> 30)) * 0xBF58_476D_1CE4_E5B9;
        state = (state ^ (state >> 27)) * 0x94D0_49BB_1331_11EB;
        state ^= state >> 31;
        if (state == 0)
        {
            state = 0x2545_F491_4F6C_DD1D;
        }

        for (var i = 24; i < sector.Length; i += 8)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            BinaryPrimitives.WriteUInt64LittleEndian(sector[i..], state);
        }
    }
}
