using Offload.Contracts.Mailbox;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>
/// The shared-memory ring as a byte stream, between a device and a host end set up by the real rendezvous. Timeouts
/// here are hang guards, not speed assertions.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SharedMemoryRingStreamTests
{
    private const int SmallRing = 4096;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Write_OddSizesAcrossTheWrap_BytesArriveInOrder()
    {
        await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
        byte[] sent = RandomBytes(1 << 20, seed: 1);
        var writer = RunThread(() =>
        {
            int offset = 0;
            for (int size = 1; offset < sent.Length; size = (size * 7 % 5003) + 1)
            {
                int n = Math.Min(size, sent.Length - offset);
                pair.Device.Write(sent, offset, n);
                offset += n;
            }
        });

        byte[] received = new byte[sent.Length];
        int total = 0;
        for (int size = 3; total < received.Length; size = (size * 13 % 4999) + 1)
        {
            int n = pair.Host.Read(received, total, Math.Min(size, received.Length - total));
            Assert.True(n > 0, "end of stream before every byte arrived");
            total += n;
        }

        await writer.WaitAsync(HangGuard);
        Assert.Equal(sent, received);
    }

    /// <summary>parkAtOnce: both ends skip spinning, so a full ring parks the writer and an empty one the reader every time.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stream_64MiBOfPseudoRandomBytesBetweenThreads_EveryByteMatches(bool parkAtOnce)
    {
        const long Total = 64L << 20;
        await using var pair = await SharedMemoryPair.CreateAsync(64 * 1024);
        if (parkAtOnce)
        {
            foreach (var end in new[] { (SharedMemoryRingStream)pair.Device, (SharedMemoryRingStream)pair.Host })
            {
                end.SpinRounds = 0;
                end.YieldRounds = 0;
            }
        }

        ulong sentHash = 0;
        var writer = RunThread(() =>
        {
            var random = new Random(42);
            byte[] chunk = new byte[9973];
            long left = Total;
            ulong hash = Fnv.Offset;
            while (left > 0)
            {
                int n = (int)Math.Min(chunk.Length, left);
                random.NextBytes(chunk.AsSpan(0, n));
                hash = Fnv.Add(hash, chunk.AsSpan(0, n));
                pair.Host.Write(chunk, 0, n);
                left -= n;
            }

            sentHash = hash;
        });

        var reader = RunThread(() =>
        {
            byte[] buffer = new byte[7919];
            long got = 0;
            ulong hash = Fnv.Offset;
            while (got < Total)
            {
                int n = pair.Device.Read(buffer, 0, (int)Math.Min(buffer.Length, Total - got));
                Assert.True(n > 0, $"end of stream after {got} bytes");
                hash = Fnv.Add(hash, buffer.AsSpan(0, n));
                got += n;
            }

            return hash;
        });

        await writer.WaitAsync(HangGuard);
        ulong receivedHash = await reader.WaitAsync(HangGuard);
        Assert.Equal(sentHash, receivedHash);
    }

    /// <summary>Every read finds the ring empty and parks (after its spin and yield rounds), so each round trip goes
    /// through the sleep/doorbell handshake twice: a lost wake-up would hang here (the guard turns it into a failure).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Stream_PingPongOneByteAtATime_NoWakeUpIsLost(bool parkAtOnce)
    {
        const int RoundTrips = 20_000;
        await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
        var device = (SharedMemoryRingStream)pair.Device;
        var host = (SharedMemoryRingStream)pair.Host;
        if (parkAtOnce)
        {
            device.SpinRounds = host.SpinRounds = 0;
            device.YieldRounds = host.YieldRounds = 0;
        }

        var echo = RunThread(() =>
        {
            byte[] one = new byte[1];
            for (int i = 0; i < RoundTrips; i++)
            {
                Assert.Equal(1, pair.Host.Read(one, 0, 1));
                one[0]++;
                pair.Host.Write(one, 0, 1);
            }
        });

        var ping = RunThread(() =>
        {
            byte[] one = new byte[1];
            for (int i = 0; i < RoundTrips; i++)
            {
                byte sent = (byte)i;
                one[0] = sent;
                pair.Device.Write(one, 0, 1);
                Assert.Equal(1, pair.Device.Read(one, 0, 1));
                Assert.Equal((byte)(sent + 1), one[0]);
            }
        });

        await Task.WhenAll(echo, ping).WaitAsync(HangGuard);
        if (parkAtOnce)
        {
            // Each end parks on every empty read, so the sleep/doorbell path carried most round trips.
            Assert.True(device.DoorbellsRung + host.DoorbellsRung > 0, "no doorbell rung although both ends parked at once");
        }
    }

    [Fact]
    public async Task WriteAsync_LargerThanRing_CompletesOnceTheReaderDrains()
    {
        await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
        byte[] sent = RandomBytes(16 * SmallRing + 123, seed: 2);
        var writing = pair.Device.WriteAsync(sent.AsMemory()).AsTask();
        Assert.False(writing.IsCompleted, "a write of 16 rings cannot complete before anyone reads");

        byte[] received = new byte[sent.Length];
        int total = 0;
        while (total < received.Length)
        {
            int n = await pair.Host.ReadAsync(received.AsMemory(total)).AsTask().WaitAsync(HangGuard);
            Assert.True(n > 0);
            total += n;
        }

        await writing.WaitAsync(HangGuard);
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task WriteAsync_RoomInTheRing_CompletesSynchronously()
    {
        await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
        var writing = pair.Device.WriteAsync(new byte[SmallRing]);
        Assert.True(writing.IsCompletedSuccessfully);
        await writing;
    }

    [Fact]
    public async Task Read_PeerWritesThenDisposes_ReadsTheBytesThenEndOfStream()
    {
        await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
        byte[] sent = RandomBytes(1000, seed: 3);
        await pair.Host.WriteAsync(sent);
        await pair.Host.DisposeAsync();

        byte[] received = new byte[2000];
        int total = 0;
        var reading = RunThread(() =>
        {
            int n;
            while ((n = pair.Device.Read(received, total, received.Length - total)) > 0)
            {
                total += n;
            }
        });

        await reading.WaitAsync(HangGuard);
        Assert.Equal(sent, received[..total]);
        Assert.Equal(0, await pair.Device.ReadAsync(new byte[10]).AsTask().WaitAsync(HangGuard));
    }

    [Fact]
    public async Task Read_BlockedWhenItsOwnStreamIsDisposed_Unblocks()
    {
        await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
        using var entered = new ManualResetEventSlim();
        var reading = RunThread(() =>
        {
            entered.Set();
            try
            {
                return pair.Device.Read(new byte[100], 0, 100);
            }
            catch (ObjectDisposedException)
            {
                return -1;
            }
        });

        entered.Wait(HangGuard);
        await Task.Delay(50);
        Assert.False(reading.IsCompleted, "nothing was written, so the read waits");
        await pair.Device.DisposeAsync();
        int result = await reading.WaitAsync(HangGuard);
        Assert.True(result is 0 or -1, $"Read returned {result}");
        Assert.Equal(0, await pair.Host.ReadAsync(new byte[10]).AsTask().WaitAsync(HangGuard));
    }

    [Fact]
    public async Task WriteAsync_RingFullAndCancelled_ThrowsAndTheStreamStillWorks()
    {
        await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
        await pair.Device.WriteAsync(new byte[SmallRing]);
        using var cts = new CancellationTokenSource();
        var blocked = pair.Device.WriteAsync(new byte[] { 7 }, cts.Token).AsTask();
        await Task.Delay(50);
        Assert.False(blocked.IsCompleted, "the ring is full");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(HangGuard));

        byte[] drained = new byte[SmallRing];
        int total = 0;
        while (total < drained.Length)
        {
            total += await pair.Host.ReadAsync(drained.AsMemory(total));
        }

        await pair.Device.WriteAsync(new byte[] { 9 }).AsTask().WaitAsync(HangGuard);
        byte[] one = new byte[1];
        Assert.Equal(1, await pair.Host.ReadAsync(one).AsTask().WaitAsync(HangGuard));
        Assert.Equal(9, one[0]);
    }

    [Fact]
    public async Task Write_PeerDisposed_ThrowsIOException()
    {
        await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
        await pair.Host.DisposeAsync();
        await Eventually.TrueAsync(() =>
        {
            try
            {
                pair.Device.Write(new byte[1], 0, 1);
                return false;
            }
            catch (IOException)
            {
                return true;
            }
        }, "writes fail once the peer has gone");
    }

    /// <summary>Disposing both ends while a writer and a reader copy through the rings: each ends with an exception
    /// or end of stream, never with the memory unmapped under a copy (which would crash the test process).</summary>
    [Fact]
    public async Task Dispose_DuringTrafficFromOtherThreads_CopiesEndCleanly()
    {
        for (int round = 0; round < 20; round++)
        {
            await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
            using var started = new CountdownEvent(2);
            var writer = RunThread(() =>
            {
                byte[] chunk = new byte[3000];
                started.Signal();
                try
                {
                    while (true)
                    {
                        pair.Device.Write(chunk, 0, chunk.Length);
                    }
                }
                catch (Exception ex) when (ex is ObjectDisposedException or IOException)
                {
                    return 1;
                }
            });
            var reader = RunThread(() =>
            {
                byte[] buffer = new byte[5000];
                started.Signal();
                try
                {
                    while (pair.Host.Read(buffer, 0, buffer.Length) > 0)
                    {
                    }

                    return 0;
                }
                catch (ObjectDisposedException)
                {
                    return 1;
                }
            });

            started.Wait(HangGuard);
            await Task.Delay(round % 5);
            if (round % 2 == 0)
            {
                await pair.Device.DisposeAsync();
                await pair.Host.DisposeAsync();
            }
            else
            {
                await pair.Host.DisposeAsync();
                await pair.Device.DisposeAsync();
            }

            await Task.WhenAll(writer, reader).WaitAsync(HangGuard);
        }
    }

    [Fact]
    public async Task Stream_AfterDispose_ThrowsObjectDisposed()
    {
        await using var pair = await SharedMemoryPair.CreateAsync(SmallRing);
        await pair.Device.DisposeAsync();
        await pair.Device.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => pair.Device.Write(new byte[1], 0, 1));
        Assert.Throws<ObjectDisposedException>(() => pair.Device.Read(new byte[1], 0, 1));
        Assert.False(pair.Device.CanSeek);
    }

    private static byte[] RandomBytes(int size, int seed)
    {
        byte[] bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static Task RunThread(Action body) => RunThread(() =>
    {
        body();
        return 0;
    });

    private static Task<T> RunThread<T>(Func<T> body)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(body());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true };
        thread.Start();
        return done.Task;
    }

    private static class Fnv
    {
        public const ulong Offset = 14695981039346656037;

        public static ulong Add(ulong hash, ReadOnlySpan<byte> bytes)
        {
            foreach (byte b in bytes)
            {
                hash = (hash ^ b) * 1099511628211;
            }

            return hash;
        }
    }
}
