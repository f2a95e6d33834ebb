using System.Buffers.Binary;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.QueuePair;

public sealed class TcpQueuePairTests
{
    [Fact]
    public async Task Feed_ValidStreams_NoTermReqAndExpectedCompletions()
    {
        await using var h = new InProcessHarness();
        foreach (var stream in h.BaseStreams())
        {
            var output = Run(h, stream, chunk: stream.Length);
            var pdus = Split(output);
            Assert.DoesNotContain(pdus, p => p[0] == (byte)PduType.C2HTermReq);
            Assert.Contains(pdus, p => p[0] == (byte)PduType.CapsuleResponse);
        }

        Assert.Equal(0, h.Target.Buffers.Outstanding);
    }

    [Fact]
    public async Task Feed_EveryPrefix_NeverThrowsNorTerminates()
    {
        await using var h = new InProcessHarness();
        foreach (var stream in h.BaseStreams())
        {
            var previous = 0;
            for (var length = 0; length <= stream.Length; length += Math.Max(1, stream.Length / 2000))
            {
                var pdus = Split(Run(h, stream.AsSpan(0, length).ToArray(), chunk: length));
                Assert.DoesNotContain(pdus, p => p[0] == (byte)PduType.C2HTermReq);
                Assert.True(pdus.Count >= previous, "a longer prefix produced fewer PDUs");
                previous = pdus.Count;
            }
        }

        Assert.Equal(0, h.Target.Buffers.Outstanding);
    }

    [Fact]
    public async Task Feed_OneByteAtATime_SameOutputAsWhole()
    {
        await using var h = new InProcessHarness();
        var streams = h.BaseStreams();
        for (var i = 0; i < streams.Count; i++)
        {
            var whole = Run(h, streams[i], chunk: streams[i].Length);
            var bytewise = Run(h, streams[i], chunk: 1);
            if (i < 3)
            {
                Assert.Equal(whole, bytewise);
            }
            else
            {
                // Admin streams allocate a new CNTLID each run: compare the PDU sequence shape.
                Assert.Equal(Split(whole).Select(p => (p[0], p.Length)), Split(bytewise).Select(p => (p[0], p.Length)));
            }
        }
    }

    internal static byte[] Run(InProcessHarness h, byte[] stream, int chunk)
    {
        var qp = h.QueuePair;
        qp.ResetSession();
        using var output = new MemoryStream();
        qp.Output = output;
        for (var i = 0; i < stream.Length; i += Math.Max(chunk, 1))
        {
            if (!qp.Feed(stream.AsSpan(i, Math.Min(Math.Max(chunk, 1), stream.Length - i))))
            {
                break;
            }
        }

        qp.Output = null;
        qp.ResetSession();
        return output.ToArray();
    }

    internal static List<byte[]> Split(byte[] output)
    {
        var list = new List<byte[]>();
        for (var i = 0; i + 8 <= output.Length;)
        {
            var plen = (int)BinaryPrimitives.ReadUInt32LittleEndian(output.AsSpan(i + 4));
            list.Add(output.AsSpan(i, plen).ToArray());
            i += plen;
        }

        return list;
    }
}
