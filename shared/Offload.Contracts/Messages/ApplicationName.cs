using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Who a mailbox application id is: positional 0 application id, 1 host NQN (UTF-8, at most
/// <see cref="MaxHostNqnSize"/> bytes, NVMe Base 2.0 section 4.5), 2 host identifier (bin 16). The host uses it to key
/// per-tenant history and to let operators name tenants (<c>offloadctl explain nqn...</c>).
/// </summary>
public struct ApplicationName : IWireEntry
{
    public const int FieldCount = 3;

    /// <summary>Largest NQN the NVMe specification allows, in bytes.</summary>
    public const int MaxHostNqnSize = 223;

    public AppId Application { get; set; }

    public string HostNqn { get; set; }

    public Guid HostId { get; set; }

    public readonly void Write(ref MessagePackWriter writer)
    {
        Span<byte> id = stackalloc byte[16];
        HostId.TryWriteBytes(id, bigEndian: true, out _);
        writer.WriteArrayHeader(FieldCount);
        writer.Write(Application.Value);
        writer.Write(HostNqn ?? "");
        writer.Write(id);
    }

    public static void Read(ref MessagePackReader reader, out ApplicationName e, DecodeStatistics? stats = null)
    {
        e = default;
        e.HostNqn = "";
        int count = MapKey.EnterArray(ref reader);
        for (int key = 0; key < count; key++)
        {
            if (reader.TryReadNil())
            {
                continue;
            }

            switch (key)
            {
                case 0: e.Application = new AppId(reader.ReadUInt32()); break;
                case 1: e.HostNqn = ReadNqn(ref reader); break;
                case 2:
                    var id = BinField.Read(ref reader, 16, "host identifier");
                    e.HostId = id.Length == 16 ? new Guid(id, bigEndian: true) : Guid.Empty;
                    break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
    }

    internal static string ReadNqn(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        if (!reader.TryReadStringSpan(out var utf8))
        {
            return reader.ReadString() is { } s && System.Text.Encoding.UTF8.GetByteCount(s) <= MaxHostNqnSize
                ? s
                : throw new MessagePackSerializationException($"host NQN exceeds {MaxHostNqnSize} bytes", offset);
        }

        return utf8.Length <= MaxHostNqnSize
            ? System.Text.Encoding.UTF8.GetString(utf8)
            : throw new MessagePackSerializationException($"host NQN of {utf8.Length} bytes exceeds {MaxHostNqnSize}", offset);
    }
}
