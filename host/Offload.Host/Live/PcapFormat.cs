using System.Buffers.Binary;

namespace Offload.Host.Live;

/// <summary>
/// The classic libpcap file format (microsecond timestamps, little-endian, LINKTYPE_ETHERNET): a 24-byte global header,
/// then per packet a 16-byte record header and the captured bytes. See the pcap file format specification
/// (draft-ietf-opsawg-pcap, sections 4 and 5).
/// </summary>
internal static class PcapFormat
{
    /// <summary>Size of the file header.</summary>
    public const int FileHeaderSize = 24;

    /// <summary>Size of a packet record header.</summary>
    public const int RecordHeaderSize = 16;

    /// <summary>Magic number of a microsecond-resolution file.</summary>
    public const uint MagicMicroseconds = 0xA1B2C3D4;

    /// <summary>LINKTYPE_ETHERNET.</summary>
    public const uint LinkTypeEthernet = 1;

    /// <summary>Writes the file header into <paramref name="destination"/> (24 bytes).</summary>
    public static void WriteFileHeader(Span<byte> destination, uint snapLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, MagicMicroseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], LinkTypeEthernet);
    }

    /// <summary>Writes a record header (16 bytes) for a frame seen at <paramref name="unixNanos"/>.</summary>
    public static void WriteRecordHeader(Span<byte> destination, long unixNanos, int capturedLength, uint originalLength)
    {
        long seconds = Math.DivRem(Math.Max(0, unixNanos), 1_000_000_000L, out long nanos);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)(nanos / 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)capturedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], Math.Max(originalLength, (uint)capturedLength));
    }
}
