using System.Diagnostics;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.QueuePair;

/// <summary>
/// Feeds mutated PDU streams to the real framing + request state machine in-process. Any stream that throws is
/// written to tests/regression/nvme/ and the test fails; <see cref="Replay_RegressionCorpus_NoExceptions"/> replays
/// every file there. Count: NVME_MUTATIONS (default 1,000,000).
/// </summary>
public sealed class TcpQueuePairMutationTests
{
    [Fact]
    public async Task Feed_MillionMutatedStreams_NoExceptionsNoHangsNoLeaks()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("NVME_MUTATIONS"), out var n) ? n : 1_000_000;
        await using var h = new InProcessHarness();
        var bases = h.BaseStreams();
        var work = Task.Run(() =>
        {
            var rng = new Random(20261121);
            var buffer = new byte[64 * 1024];
            for (var i = 0; i < count; i++)
            {
                var source = bases[rng.Next(bases.Count)];
                var length = Mutate(rng, source, buffer);
                var chunk = rng.Next(4) == 0 ? rng.Next(1, 64) : length;
                try
                {
                    for (var off = 0; off < length; off += chunk)
                    {
                        if (!h.QueuePair.Feed(buffer.AsSpan(off, Math.Min(chunk, length - off))))
                        {
                            break;
                        }
                    }

                    h.QueuePair.ResetSession();
                }
                catch (Exception ex)
                {
                    var path = RegressionCorpus.Save(buffer.AsSpan(0, length));
                    throw new InvalidOperationException($"stream {i} threw; saved to {path}", ex);
                }
            }
        });
        await work.WaitAsync(TimeSpan.FromMinutes(5)); // a hang fails here
        Assert.Equal(0, h.Target.Buffers.Outstanding);
        Assert.Equal(0, h.Target.UnexpectedErrors);
    }

    [Fact]
    public async Task Replay_RegressionCorpus_NoExceptions()
    {
        await using var h = new InProcessHarness();
        var files = RegressionCorpus.Files();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            h.QueuePair.Feed(bytes);
            h.QueuePair.ResetSession();
        }

        Assert.Equal(0, h.Target.Buffers.Outstanding);
    }

    private static int Mutate(Random rng, byte[] source, byte[] buffer)
    {
        var length = Math.Min(source.Length, buffer.Length);
        source.AsSpan(0, length).CopyTo(buffer);
        var mutations = 1 + rng.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            var pos = rng.Next(Math.Max(length, 1));
            switch (rng.Next(8))
            {
                case 0:
                    buffer[pos] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1:
                    buffer[pos] = (byte)rng.Next(256);
                    break;
                case 2:
                    // Interesting values in header-ish positions.
                    buffer[pos] = (byte)(rng.Next(3) switch { 0 => 0, 1 => 0xFF, _ => 0x80 });
                    break;
                case 3:
                    length = rng.Next(length + 1);
                    break;
                case 4:
                {
                    // Duplicate a slice (repeated PDUs, overlapping data).
                    var size = Math.Min(rng.Next(1, 256), length - pos);
                    if (length + size <= buffer.Length && size > 0)
                    {
                        buffer.AsSpan(pos, length - pos).CopyTo(buffer.AsSpan(pos + size));
                        length += size;
                    }

                    break;
                }

                case 5:
                {
                    // Delete a slice.
                    var size = Math.Min(rng.Next(1, 256), length - pos);
                    buffer.AsSpan(pos + size, length - pos - size).CopyTo(buffer.AsSpan(pos));
                    length -= size;
                    break;
                }

                case 6:
                    if (pos + 4 <= length)
                    {
                        BitConverter.TryWriteBytes(buffer.AsSpan(pos, 4), rng.Next(3) switch { 0 => uint.MaxValue, 1 => 0u, _ => (uint)rng.Next() });
                    }

                    break;
                default:
                    if (pos < length)
                    {
                        buffer[pos] = unchecked((byte)(buffer[pos] + rng.Next(-2, 3)));
                    }

                    break;
            }
        }

        return length;
    }
}
