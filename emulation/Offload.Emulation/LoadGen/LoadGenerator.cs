using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Offload.Emulation.LoadGen;

/// <summary>
/// Our own NVMe/TCP initiator used as a tenant application: closed-loop workers (one per queue-depth slot), each
/// on its own disjoint slice of the namespace so pattern verification is race-free, optional rate pacing shared by
/// all workers (changeable while running: <see cref="SetTargetRate"/>), and latency percentiles from per-worker
/// histograms. The per-I/O path allocates nothing: reusable completion sources, pooled async state machines,
/// synchronous capsule sends, fixed histograms.
/// </summary>
public sealed class LoadGenerator
{
    private const byte OpcodeWrite = 0x01;
    private const byte OpcodeRead = 0x02;
    private readonly LoadGeneratorOptions _options;
    private readonly LoadPacer _pacer;

    public LoadGenerator(LoadGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.QueueDepth < 1 || options.QueueCount < 1 || options.QueueCount > options.QueueDepth || options.ReadPercent is < 0 or > 100)
        {
            throw new ArgumentException("Need queue depth >= queue count >= 1 and read percent 0..100.", nameof(options));
        }

        _options = options;
        _pacer = new LoadPacer(options.TargetIops);
    }

    private readonly List<RateAdvertisementListener> _listeners = [];
    private IReadOnlyList<(IPEndPoint Local, IPEndPoint Remote)> _connections = [];
    private long _closedAdvertisements;

    /// <summary>The I/O queues' connections (this end, the target's end) once connected; empty before.</summary>
    public IReadOnlyList<(IPEndPoint Local, IPEndPoint Remote)> Connections => Volatile.Read(ref _connections);

    /// <summary>Rate advertisements seen on the I/O queues' connections (with <see cref="LoadGeneratorOptions.FollowRateAdvertisement"/>).</summary>
    public long RateAdvertisements
    {
        get
        {
            lock (_listeners)
            {
                long n = _closedAdvertisements;
                foreach (var l in _listeners)
                {
                    n += l.Advertisements;
                }

                return n;
            }
        }
    }

    /// <summary>The pacing rate in IOPS now (0 = unpaced).</summary>
    public double TargetRate => _pacer.Rate;

    /// <summary>
    /// Changes the pacing rate while running (thread-safe, any thread): <paramref name="iops"/> &gt; 0 paces issue
    /// times at that rate across all queues from now on; 0 removes pacing. Typically driven by the datapath's rate
    /// advertisement.
    /// </summary>
    public void SetTargetRate(double iops) => _pacer.SetRate(iops);

    /// <summary>Connects, runs the workload for <see cref="LoadGeneratorOptions.Duration"/> and disconnects.</summary>
    public static Task<LoadReport> RunAsync(LoadGeneratorOptions options, CancellationToken cancellationToken = default) =>
        new LoadGenerator(options).RunAsync(cancellationToken);

    /// <summary>Connects, runs the workload for <see cref="LoadGeneratorOptions.Duration"/> and disconnects.</summary>
    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var options = _options;
        await using var host = new NvmeTcpHost(options.Target, options.SubsystemNqn, options.HostNqn, options.HostId, options.Digests);
        await host.ConnectAsync(options.NamespaceId, options.QueueCount, cancellationToken);
        if (options.IoSize % host.BlockSize != 0 || options.IoSize > host.MaxTransferSize || options.IoSize % BlockPattern.SectorSize != 0)
        {
            throw new ArgumentException(
                $"I/O size {options.IoSize} must be a multiple of the namespace block size {host.BlockSize} (and 512) and at most MDTS {host.MaxTransferSize}.");
        }

        var namespaceSize = (long)host.NamespaceBlocks * host.BlockSize;
        var range = options.RangeSize > 0 ? Math.Min(options.RangeSize, namespaceSize) : namespaceSize;
        var iosPerWorker = range / options.IoSize / options.QueueDepth;
        if (iosPerWorker < 1)
        {
            throw new ArgumentException($"Range {range} bytes is too small for {options.QueueDepth} workers of {options.IoSize}-byte I/Os.");
        }

        var queues = new NvmeTcpQueue[options.QueueCount];
        try
        {
            for (var q = 0; q < queues.Length; q++)
            {
                var depth = (options.QueueDepth / options.QueueCount) + (q < options.QueueDepth % options.QueueCount ? 1 : 0);
                queues[q] = await host.OpenIoQueueAsync((ushort)(q + 1), depth, cancellationToken);
            }

            ListenForRateAdvertisements(queues, options.FollowRateAdvertisement);
            var run = new Run(options, _pacer, host.BlockSize, iosPerWorker);
            _pacer.Restart(run.Start);
            var workers = new Worker[options.QueueDepth];
            var tasks = new Task[options.QueueDepth];
            for (var w = 0; w < workers.Length; w++)
            {
                var worker = new Worker(w, queues[w % options.QueueCount], w / options.QueueCount);
                workers[w] = worker;
                tasks[w] = Task.Run(() => worker.RunAsync(run, cancellationToken).AsTask(), cancellationToken);
            }

            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
            await Task.WhenAll(tasks);
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
            var elapsed = Stopwatch.GetElapsedTime(run.Start);
            return Summarize(workers, elapsed) with
            {
                Digests = queues.All(q => q.HeaderDigest && q.DataDigest),
                AllocatedBytes = allocated,
            };
        }
        finally
        {
            lock (_listeners)
            {
                foreach (var l in _listeners)
                {
                    _closedAdvertisements += l.Advertisements;
                    l.Dispose();
                }

                _listeners.Clear();
            }

            foreach (var queue in queues)
            {
                if (queue is not null)
                {
                    await queue.DisposeAsync();
                }
            }
        }
    }

    private void ListenForRateAdvertisements(NvmeTcpQueue[] queues, bool follow)
    {
        var connections = new List<(IPEndPoint, IPEndPoint)>(queues.Length);
        foreach (var queue in queues)
        {
            if (queue.LocalEndPoint is { } local && queue.RemoteEndPoint is { } remote)
            {
                connections.Add((local, remote));
                if (follow && local.AddressFamily == AddressFamily.InterNetwork)
                {
                    lock (_listeners)
                    {
                        // The datapath stamps the rate on segments toward the application: pace to it from now on.
                        _listeners.Add(new RateAdvertisementListener(local, remote, rate => SetTargetRate(rate)));
                    }
                }
            }
        }

        Volatile.Write(ref _connections, connections);
    }

    private static LoadReport Summarize(Worker[] workers, TimeSpan elapsed)
    {
        var latencies = new LatencyHistogram();
        long reads = 0, writes = 0, errors = 0, failures = 0, bytes = 0;
        foreach (var worker in workers)
        {
            latencies.Add(worker.Latencies);
            reads += worker.Reads;
            writes += worker.Writes;
            errors += worker.Errors;
            failures += worker.VerifyFailures;
            bytes += worker.Bytes;
        }

        double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        return new LoadReport(reads, writes, errors, failures, bytes, elapsed, Micros(latencies.Percentile(0.50)),
            Micros(latencies.Percentile(0.99)), Micros(latencies.Percentile(0.999)), Micros(latencies.Max));
    }

    /// <summary>Shared run state: schedule, end time and the workload shape.</summary>
    private sealed class Run(LoadGeneratorOptions options, LoadPacer pacer, int blockSize, long iosPerWorker)
    {
        public LoadGeneratorOptions Options { get; } = options;

        public LoadPacer Pacer { get; } = pacer;

        public int BlockSize { get; } = blockSize;

        public long IosPerWorker { get; } = iosPerWorker;

        public long Start { get; } = Stopwatch.GetTimestamp();

        public long End => Start + (long)(Options.Duration.TotalSeconds * Stopwatch.Frequency);
    }

    private sealed class Worker(int index, NvmeTcpQueue queue, int slot)
    {
        private static readonly long MaxSleep = Stopwatch.Frequency / 50;

        public LatencyHistogram Latencies { get; } = new();

        public long Reads { get; private set; }

        public long Writes { get; private set; }

        public long Errors { get; private set; }

        public long VerifyFailures { get; private set; }

        public long Bytes { get; private set; }

        public async ValueTask RunAsync(Run run, CancellationToken cancellationToken)
        {
            var options = run.Options;
            var random = new Random(options.Seed + (index * 7919));
            var sqe = new byte[64];
            var regionStart = index * run.IosPerWorker * options.IoSize;
            var blocks = (uint)(options.IoSize / run.BlockSize);
            var end = run.End;
            long sequential = 0, writeSequence = (long)index << 40;
            using var delay = new ReusableDelay();
            while (Stopwatch.GetTimestamp() < end && !cancellationToken.IsCancellationRequested)
            {
                if (run.Pacer.TicksPerIo > 0 && !await WaitForTurnAsync(run.Pacer, end, delay))
                {
                    break;
                }

                var io = options.Random ? random.NextInt64(run.IosPerWorker) : sequential++ % run.IosPerWorker;
                var offset = (ulong)(regionStart + (io * options.IoSize));
                var isRead = random.Next(100) < options.ReadPercent;
                sqe.AsSpan().Clear();
                sqe[0] = isRead ? OpcodeRead : OpcodeWrite;
                BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(4), options.NamespaceId);
                BinaryPrimitives.WriteUInt64LittleEndian(sqe.AsSpan(40), offset / (ulong)run.BlockSize);
                BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(48), (ushort)(blocks - 1));
                var data = queue.Buffer(slot)[..options.IoSize];
                if (!isRead && options.Verify)
                {
                    BlockPattern.Fill(data.Span, offset, (ulong)++writeSequence);
                }

                var started = Stopwatch.GetTimestamp();
                var (_, status) = await queue.ExecuteAsync(slot, sqe, options.IoSize, hostToController: !isRead, CancellationToken.None);
                var completed = Stopwatch.GetTimestamp();
                Latencies.Record(completed - started);
                options.Observer?.OnCompleted(completed, completed - started, isRead, status == 0);
                if (status != 0)
                {
                    Errors++;
                    continue;
                }

                Bytes += options.IoSize;
                if (isRead)
                {
                    Reads++;
                    if (options.Verify && BlockPattern.CountMismatches(data.Span, offset) > 0)
                    {
                        VerifyFailures++;
                    }
                }
                else
                {
                    Writes++;
                }
            }
        }

        /// <summary>Waits for this worker's next ticket; false when it falls at or after the end of the run. A rate
        /// change while waiting (new epoch) takes a ticket on the new schedule.</summary>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private static async ValueTask<bool> WaitForTurnAsync(LoadPacer pacer, long end, ReusableDelay delay)
        {
            while (true)
            {
                var epoch = pacer.Epoch;
                var ticksPerIo = pacer.TicksPerIo;
                if (ticksPerIo == 0)
                {
                    return true;
                }

                var due = pacer.NextDue(ticksPerIo);
                if (due >= end)
                {
                    return false;
                }

                while (pacer.Epoch == epoch)
                {
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait <= 0)
                    {
                        return true;
                    }

                    if (wait > Stopwatch.Frequency / 500)
                    {
                        var sleep = Math.Min(wait - (Stopwatch.Frequency / 1000), MaxSleep);
                        await delay.WaitAsync(TimeSpan.FromSeconds((double)sleep / Stopwatch.Frequency));
                    }
                    else
                    {
                        await Task.Yield();
                    }
                }
            }
        }
    }
}
