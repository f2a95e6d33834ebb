using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;

namespace Offload.Benchmarks.Mailbox;

/// <summary>
/// Frame throughput of a real <see cref="MailboxSession"/> from the device end (nic-fw's direction for telemetry) to a
/// host <see cref="MailboxClient"/> in the same process, over each transport: loopback TCP (the same-run baseline),
/// a Unix domain socket, and the shared-memory ring (4 MiB per direction; socket and ring file on /dev/shm, a tmpfs). A frame is a <see cref="FlowMetadataBatch"/>
/// of <see cref="Flows"/> filled-in records (about 130 bytes each). One operation = one frame framed, sent, received,
/// checked (CRC) and dispatched to the host handler; the benchmark thread sends <see cref="FramesPerInvoke"/> frames
/// and waits until the host has dispatched them all.
/// </summary>
[MemoryDiagnoser]
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // shm:// is Linux-only
public class MailboxTransportBenchmarks
{
    private const int FramesPerInvoke = 2048;

    private readonly BackgroundRuns _runs = new();
    private readonly CountingHandler _host = new();
    private FlowMetadataBatch _batch = null!;
    private MailboxSession _device = null!;
    private string? _directory;

    [Params(16, 256)]
    public int Flows { get; set; }

    [GlobalSetup(Target = nameof(Tcp))]
    public void SetupTcp()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Setup(MailboxEndpoint.Tcp("127.0.0.1", port));
    }

    [GlobalSetup(Target = nameof(Unix))]
    public void SetupUnix() => Setup(MailboxEndpoint.Unix(Path.Combine(NewDirectory(), "mbx.sock")));

    [GlobalSetup(Target = nameof(SharedMemory))]
    public void SetupSharedMemory() => Setup(MailboxEndpoint.SharedMemory(Path.Combine(NewDirectory(), "mbx.sock")));

    [GlobalCleanup]
    public void Cleanup()
    {
        _runs.Stop();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerInvoke)]
    public long Tcp() => SendAndWait();

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public long Unix() => SendAndWait();

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public long SharedMemory() => SendAndWait();

    private long SendAndWait()
    {
        long target = _host.Expect(FramesPerInvoke);
        for (int i = 0; i < FramesPerInvoke; i++)
        {
            var sending = _device.SendAsync(_batch);
            if (!sending.IsCompletedSuccessfully)
            {
                sending.AsTask().GetAwaiter().GetResult();
            }
        }

        if (!_host.Reached.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException($"only {_host.Received} of {target} frames arrived in 60 s");
        }

        return _host.Received;
    }

    private string NewDirectory()
    {
        _directory = ScratchDirectory.CreateOnTmpfs();
        return _directory;
    }

    private void Setup(MailboxEndpoint endpoint)
    {
        _batch = new FlowMetadataBatch { TimestampUnixNanos = 1, PeriodNanos = 10_000_000 };
        for (int i = 0; i < Flows; i++)
        {
            _batch.Flows.Add(new FlowRecord
            {
                FlowId = (ulong)(1_000_000 + i),
                SourcePort = (ushort)(40_000 + i),
                DestinationPort = 4420,
                Protocol = 6,
                ReadRate = 1234.5f + i,
                WriteRate = 321.25f,
                ReadRateWindow = 1200.5f,
                WriteRateWindow = 300.75f,
                ReadWriteRatio = 0.8f,
                SharedMemorySize = 123_456_789,
                CpuNanosPerSecond = 4_567_890,
                PacketRate = 98_765.5f,
                BitRate = 1.2e9f,
                SqDepth = 17,
                SqAverage = 12.5f,
                CqDepth = 3,
            });
        }

        using (var frame = new Offload.Contracts.Buffers.PooledBufferWriter())
        {
            int size = FrameWriter.Write(frame, new MessageHeader(1, _batch.Type, 0, 1), _batch);
            Console.WriteLine($"// {Flows} flows: {size} bytes per frame");
        }

        var options = new MailboxOptions { HeartbeatPeriod = TimeSpan.FromSeconds(1), HandshakeTimeout = TimeSpan.FromSeconds(5) };
        var device = new MailboxDevice(MailboxTransport.Create(endpoint, options), options, new MailboxIdentity("bf3-bench", "1.0.0", ["mailbox-v1"]), new CountingHandler(), NullLogger.Instance);
        var client = new MailboxClient(MailboxTransport.Create(endpoint, options), options, new MailboxIdentity("host-bench", "1.0.0", ["controller-v1"]), _host, NullLogger.Instance);
        _runs.Add(device.RunAsync(_runs.Token));
        device.Listening.GetAwaiter().GetResult();
        _runs.Add(client.RunAsync(_runs.Token));
        BackgroundRuns.WaitForSession(client, device, endpoint);

        _device = device.Sessions.First();
    }

    /// <summary>The host end: counts FlowMetadataBatch frames and signals when the expected count is reached.</summary>
    private sealed class CountingHandler : IMailboxHandler
    {
        private long _received;
        private long _target = long.MaxValue;

        public ManualResetEventSlim Reached { get; } = new();

        public long Received => Volatile.Read(ref _received);

        public long Expect(int frames)
        {
            Reached.Reset();
            long target = Received + frames;
            Volatile.Write(ref _target, target);
            return target;
        }

        public void OnMessage(MailboxSession session, in MessageHeader header, in System.Buffers.ReadOnlySequence<byte> payload)
        {
            if (header.Type == MessageType.FlowMetadataBatch && Interlocked.Increment(ref _received) == Volatile.Read(ref _target))
            {
                Reached.Set();
            }
        }
    }
}
