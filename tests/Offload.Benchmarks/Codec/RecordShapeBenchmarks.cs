using System.Buffers;
using BenchmarkDotNet.Attributes;
using Offload.Contracts.MessagePack;

namespace Offload.Benchmarks.Codec;

/// <summary>
/// An early signal for the wire messages: 1,000 records shaped like a flow record (a map of 15 integer keys to
/// ports, counters, timestamps-as-ticks and one short string), written and read with the primitives only.
/// Figures are per record; the target for real messages is at most 100 ns per record each way.
/// Run: dotnet run -c Release --project tests/Offload.Benchmarks -- --filter '*RecordShapeBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class RecordShapeBenchmarks
{
    private const int Records = 1000;
    private const int Fields = 15;
    private static readonly string[] Tenants = ["tenant-a", "tenant-b", "tenant-c", "t"];
    private readonly ArrayBufferWriter<byte> _buffer = new(256 * 1024);
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        Write();
        _encoded = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public void Write()
    {
        _buffer.ResetWrittenCount();
        var w = new MessagePackWriter(_buffer);
        w.WriteArrayHeader(Records);
        for (int i = 0; i < Records; i++)
        {
            w.WriteMapHeader(Fields);
            w.Write(0);
            w.Write(0x0a000000u + (uint)i);      // src ip
            w.Write(1);
            w.Write(0xc0a80000u + (uint)(i * 7)); // dst ip
            w.Write(2);
            w.Write((ushort)(1024 + i));         // src port
            w.Write(3);
            w.Write((ushort)443);                // dst port
            w.Write(4);
            w.Write((byte)6);                    // proto
            w.Write(5);
            w.Write((ulong)i * 1_000_003);       // packets
            w.Write(6);
            w.Write((ulong)i * 1_500_000_007);   // bytes
            w.Write(7);
            w.Write(638_000_000_000_000_000L + i); // first seen ticks
            w.Write(8);
            w.Write(638_000_000_010_000_000L + i); // last seen ticks
            w.Write(9);
            w.Write(i & 31);                     // port no
            w.Write(10);
            w.Write(Tenants[i & 3]);             // tenant
            w.Write(11);
            w.Write(i % 3 == 0);                 // offloaded
            w.Write(12);
            w.Write(-(i & 15));                  // drop reason
            w.Write(13);
            w.Write(i * 0.25);                   // rate
            w.Write(14);
            w.Write((uint)(i * 40503));          // hash
        }

        w.Flush();
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long Read()
    {
        var r = new MessagePackReader(_encoded);
        long sum = 0;
        int records = r.ReadArrayHeader();
        for (int i = 0; i < records; i++)
        {
            int fields = r.ReadMapHeader();
            for (int f = 0; f < fields; f++)
            {
                switch (r.ReadInt32())
                {
                    case 0 or 1 or 14:
                        sum += r.ReadUInt32();
                        break;
                    case 2 or 3:
                        sum += r.ReadUInt16();
                        break;
                    case 4:
                        sum += r.ReadByte();
                        break;
                    case 5 or 6:
                        sum += (long)r.ReadUInt64();
                        break;
                    case 7 or 8 or 9 or 12:
                        sum += r.ReadInt64();
                        break;
                    case 10:
                        r.TryReadStringSpan(out ReadOnlySpan<byte> tenant);
                        sum += tenant.Length;
                        break;
                    case 11:
                        sum += r.ReadBoolean() ? 1 : 0;
                        break;
                    case 13:
                        sum += (long)r.ReadDouble();
                        break;
                    default:
                        r.Skip();
                        break;
                }
            }
        }

        return sum;
    }
}
