using System.Buffers.Binary;
using System.Diagnostics;

namespace Offload.Emulation.LoadGen;

/// <summary>
/// Our own NVMe/TCP initiator used as a tenant application: closed-loop workers (one per queue-depth slot), each
/// on its own disjoint slice of the namespace so pattern verification is race-free, optional rate pacing
/// (issue times on a fixed schedule), and latency percentiles.
/// </summary>
public static class LoadGenerator
{
    private const byte OpcodeWrite = 0x01;
    private const byte OpcodeRead = 0x02;

    /// <summary>Connects, runs the workload for <see cref="LoadGeneratorOptions.Duration"/> and disconnects.</summary>
    public static async Task<LoadReport> RunAsync(LoadGeneratorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.QueueDepth < 1 || options.QueueCount < 1 || options.QueueCount > options.QueueDepth || options.ReadPercent is < 0 or > 100)
        {
            throw new ArgumentException("Need queue depth >= queue count >= 1 and read percent 0..100.", nameof(options));
        }

        await using var host = new NvmeTcpHost(options.Target, options.SubsystemNqn, options.HostNqn, options.HostId, options.Digests);
        await host.ConnectAsync(options.NamespaceId, options.QueueCount, cancellationToken);
        if (options.IoSize % host.BlockSize != 0 || options.IoSize > host.MaxTransferSize || options.IoSize % BlockPattern.SectorSize != 0)
        {
            throw new ArgumentException(
                $"I/O size {options.IoSize} must be a multiple of the namespace block size {host.BlockSize} (and 512) and at most MDTS {host.MaxTransferSize}.",
                nameof(options));
        }

        var namespaceSize = (long)host.NamespaceBlocks * host.BlockSize;
        var range = options.RangeSize > 0 ? Math.Min(options.RangeSize, namespaceSize) : namespaceSize;
        var iosPerWorker = range / options.IoSize / options.QueueDepth;
        if (iosPerWorker < 1)
        {
            throw new ArgumentException($"Range {range} bytes is too small for {options.QueueDepth} workers of {options.IoSize}-byte I/Os.", nameof(options));
        }

        var queues = new NvmeTcpQueue[options.QueueCount];
        try
        {
            for (var q = 0; q < queues.Length; q++)
            {
                var depth = (options.QueueDepth / options.QueueCount) + (q < options.QueueDepth % options.QueueCount ? 1 : 0);
                queues[q] = await host.OpenIoQueueAsync((ushort)(q + 1), depth, cancellationToken);
            }

            var run = new Run(options, host.BlockSize, iosPerWorker);
            var workers = new Task<Worker>[options.QueueDepth];
            for (var w = 0; w < workers.Length; w++)
            {
                var worker = new Worker(w, queues[w % options.QueueCount], w / options.QueueCount);
                workers[w] = Task.Run(() => worker.RunAsync(run, cancellationToken), cancellationToken);
            }

            var finished = await Task.WhenAll(workers);
            var elapsed = Stopwatch.GetElapsedTime(run.Start);
            return Summarize(finished, elapsed) with { Digests = queues.All(q => q.HeaderDigest && q.DataDigest) };
        }
        finally
        {
            foreach (var queue in queues)
            {
                if (queue is not null)
                {
                    await queue.DisposeAsync();
                }
            }
        }
    }

    private static LoadReport Summarize(Worker[] workers, TimeSpan elapsed)
    {
        var latencies = new List<long>();
        long reads = 0, writes = 0, errors = 0, failures = 0, bytes = 0;
        foreach (var worker in workers)
        {
            latencies.AddRange(worker.Latencies);
            reads += worker.Reads;
            writes += worker.Writes;
            errors += worker.Errors;
            failures += worker.VerifyFailures;
            bytes += worker.Bytes;
        }

        latencies.Sort();
        double Percentile(double p)
        {
            if (latencies.Count == 0)
            {
                return 0;
            }

            var rank = Math.Clamp((int)Math.Ceiling(p * latencies.Count) - 1, 0, latencies.Count - 1);
            return latencies[rank] * 1e6 / Stopwatch.Frequency;
        }

        return new LoadReport(reads, writes, errors, failures, bytes, elapsed, Percentile(0.50), Percentile(0.99), Percentile(0.999), Percentile(1.0));
    }

    /// <summary>Shared run state: schedule, end time and the workload shape.</summary>
    private sealed class Run
    {
        private long _nextTicket;

        public Run(LoadGeneratorOptions options, int blockSize, long iosPerWorker)
        {
            Options = options;
            BlockSize = blockSize;
            IosPerWorker = iosPerWorker;
            Start = Stopwatch.GetTimestamp();
            End = Start + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
            TicksPerIo = options.TargetIops > 0 ? Stopwatch.Frequency / options.TargetIops : 0;
        }

        public LoadGeneratorOptions Options { get; }

        public int BlockSize { get; }

        public long IosPerWorker { get; }

        public long Start { get; }

        public long End { get; }

        public double TicksPerIo { get; }
        public long NextTicket() => Interlocked.Increment(ref _nextTicket) - 1;
    }

    private sealed class Worker(int index, NvmeTcpQueue queue, int slot)
    {
        public List<long> Latencies { get; } = new(4096);

        public long Reads { get; private set; }

        public long Writes { get; private set; }

        public long Errors { get; private set; }

        public long VerifyFailures { get; private set; }

        public long Bytes { get; private set; }

        public async Task<Worker> RunAsync(Run run, CancellationToken cancellationToken)
        {
            var options = run.Options;
            var random = new Random(options.Seed + (index * 7919));
            var sqe = new byte[64];
            var regionStart = index * run.IosPerWorker * options.IoSize;
            var blocks = (uint)(options.IoSize / run.BlockSize);
            long sequential = 0, writeSequence = (long)index << 40;
            while (Stopwatch.GetTimestamp() < run.End && !cancellationToken.IsCancellationRequested)
            {
                if (run.TicksPerIo > 0 && !await WaitForTurnAsync(run, cancellationToken))
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
                var (_, status) = await queue.ExecuteAsync(slot, sqe, options.IoSize, hostToController: !isRead, cancellationToken);
                Latencies.Add(Stopwatch.GetTimestamp() - started);
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

            return this;
        }

        private static async Task<bool> WaitForTurnAsync(Run run, CancellationToken cancellationToken)
        {
            var due = run.Start + (long)(run.NextTicket() * run.TicksPerIo);
            if (due >= run.End)
            {
                return false;
            }

            while (true)
            {
                var wait = due - Stopwatch.GetTimestamp();
                if (wait <= 0)
                {
                    return true;
                }

                if (wait > Stopwatch.Frequency / 500)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency) - TimeSpan.FromMilliseconds(1), cancellationToken);
                }
                else
                {
                    await Task.Yield();
                }
            }
        }
    }
}
