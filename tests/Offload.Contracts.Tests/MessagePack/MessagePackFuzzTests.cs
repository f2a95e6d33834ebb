using System.Buffers;
using System.Collections.Concurrent;
using Offload.Contracts.MessagePack;
using static Offload.Contracts.Tests.MessagePack.MessagePackTestCodec;

namespace Offload.Contracts.Tests.MessagePack;

/// <summary>1,000,000 seeded random and mutated inputs: only the typed exception, nothing hangs.</summary>
public sealed class MessagePackFuzzTests
{
    private const int Inputs = 1_000_000;
    private const int Chunks = 64;

    private static readonly byte[] InterestingCodes =
    [
        0xc1, 0xdb, 0xda, 0xd9, 0xc6, 0xc5, 0xc4, 0xc9, 0xc8, 0xc7, 0xdd, 0xdc, 0xdf, 0xde, 0xd4, 0xd8, 0xd7,
        0xcf, 0xd3, 0xcb, 0x9f, 0x8f, 0xbf, 0xff,
    ];

    private static readonly MessagePackReaderOptions Tight = new()
    {
        MaxDepth = 8,
        MaxCollectionLength = 64,
        MaxStringSize = 256,
        MaxFrameSize = 4096,
    };

    [Fact]
    public async Task Read_MillionRandomAndMutatedInputs_OnlyTypedExceptionAndNoHang()
    {
        byte[][] seeds = BuildSeeds();
        var failures = new ConcurrentQueue<string>();
        int exercised = 0;

        Task run = Task.Run(() => Parallel.For(0, Chunks, chunk =>
        {
            var random = new Random(1_000 + chunk);
            int count = 0;
            for (int i = chunk; i < Inputs; i += Chunks)
            {
                byte[] input = i % 4 == 0 ? RandomBytes(random) : Mutate(random, seeds[random.Next(seeds.Length)]);
                ReadOnlySequence<byte> sequence = i % 16 == 1
                    ? Segmented(input, random.Next(1, 4))
                    : new ReadOnlySequence<byte>(input);
                MessagePackReaderOptions options = i % 8 == 3 ? Tight : MessagePackReaderOptions.Default;
                string? failure = HostileInput.Exercise(sequence, options, typedWalk: i % 4 == 2);
                if (failure is not null)
                {
                    failures.Enqueue($"{failure} for input {Hex(input)}");
                }

                count++;
            }

            Interlocked.Add(ref exercised, count);
        }));

        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(3)));
        Assert.True(finished == run, "fuzzing did not finish within 3 minutes: a reader loop hangs");
        await run;
        Assert.True(failures.IsEmpty, $"{failures.Count} inputs escaped the typed exception, first: {failures.FirstOrDefault()}");
        Assert.Equal(Inputs, exercised);
    }

    private static byte[][] BuildSeeds()
    {
        var seeds = new List<byte[]>();
        var random = new RandomMessagePackValues(seed: 99, maxDepth: 4, allowLarge: false);
        while (seeds.Count < 400)
        {
            byte[] encoding = EncodeValue(random.Next());
            if (encoding.Length <= 300)
            {
                seeds.Add(encoding);
            }
        }

        seeds.Add(EncodeValue(new object?[] { new object?[] { new object?[] { 1L } } }));
        seeds.Add(EncodeValue(new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        seeds.Add(EncodeValue(DateTime.UnixEpoch.AddTicks(1)));
        return [.. seeds];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 48)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations; m++)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(9))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5:
                    for (int k = 0; k < 4 && at + k < bytes.Count; k++)
                    {
                        bytes[at + k] = 0xff;
                    }

                    break;
                case 6 when bytes.Count > 0:
                    bytes[at] = InterestingCodes[random.Next(InterestingCodes.Length)];
                    break;
                case 7 when bytes.Count > 0:
                    int length = random.Next(1, Math.Min(16, bytes.Count - at) + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.InsertRange(at, [InterestingCodes[random.Next(InterestingCodes.Length)], 0xff, 0xff, 0xff, 0xff]);
                    break;
            }
        }

        return [.. bytes];
    }
}
