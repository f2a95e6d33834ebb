using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.QueuePair;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Transport;

namespace Offload.Nic.Nvme;

/// <summary>
/// The NVMe/TCP target: a listener, accepted connections driven by a <see cref="PollGroup"/> thread (or, as the
/// fallback, one asynchronous <see cref="TcpQueuePair"/> receive loop per connection), the
/// subsystem catalog, the shared write-buffer pool, the per-application rate limiter and a keep-alive monitor
/// (a <see cref="TimeProvider"/> timer; no polling thread, so an idle target uses ~0% CPU).
/// </summary>
public sealed partial class NvmeTcpTarget : IAsyncDisposable, IConnectionCounterSource, IOccupancySignalSource, IApplicationCounterSource
{
    private readonly HashSet<TcpQueuePair> _queuePairs = [];
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly long[] _fatalCounts = new long[8];
    private readonly List<NvmeController> _kaScratch = [];
    private readonly List<NvmeController> _counterScratch = [];
    private Socket? _listener;
    private ITimer? _keepAliveTimer;
    private Task? _acceptLoop;
    private PollGroup? _pollGroup;
    private long _hostTerminations;
    private long _connectionsAccepted;
    private long _unexpectedErrors;

    public NvmeTcpTarget(TargetConfig config, TimeProvider? time = null, ILogger? logger = null, IRateLimiter? rateLimiter = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Ioccsz < 4 || config.MaxH2CDataSize < 4096 || config.Mdts is < 1 or > 10 || config.MaxQueueEntries is < 2 or > 4096)
        {
            throw new ArgumentException("Invalid target config: need ioccsz >= 4, maxH2CDataSize >= 4096, mdts 1..10, maxQueueEntries 2..4096.", nameof(config));
        }

        Config = config;
        Time = time ?? TimeProvider.System;
        Telemetry = new TelemetrySlab(Time);
        _logger = logger ?? NullLogger.Instance;
        Catalog = new SubsystemCatalog(config);
        Buffers = new DataBufferPool(config.MaxTransferSize);
        SpillBuffers = new DataBufferPool(TcpQueuePair.SpillBufferSize(config), maxCached: 64);
        Arbiter = new CoreArbiter(Time, config.Arbitration, config.CoreCapacityIops,
            config.PreciseGrants && ReferenceEquals(Time, TimeProvider.System) ? PreciseTimeProvider.Instance : null);
        if (rateLimiter is null)
        {
            // Work-conserving lending asks the core's arbiter whether it is idle when the core is capped; otherwise
            // it falls back to the configured target capacity (CapacityIops) as a bucket.
            var limiter = new TokenBucketRateLimiter(Time)
            {
                WorkConserving = config.WorkConserving,
                IdleCapacity = config.CoreCapacityIops > 0 ? Arbiter : null,
            };
            limiter.SetCapacity(config.CapacityIops);
            rateLimiter = limiter;
        }

        RateLimiter = rateLimiter;
        Catalog.Grants.WeightChanged += SetApplicationWeight;
        Catalog.Grants.PriorityChanged += Arbiter.SetPriority;
    }

    public TargetConfig Config { get; }

    public TimeProvider Time { get; }

    /// <summary>Every connection's counters and queue state, in lines the telemetry sweeps in order.</summary>
    public TelemetrySlab Telemetry { get; }

    public SubsystemCatalog Catalog { get; }

    public DataBufferPool Buffers { get; }

    /// <summary>Spill buffers of zero-copy batches (a partial send, or pinned data settled before a write): rented when a
    /// connection spills, returned once the spill is sent or the connection closes.</summary>
    public DataBufferPool SpillBuffers { get; }

    public IRateLimiter RateLimiter { get; }

    /// <summary>The target core's dequeue arbiter (one core today: every I/O SQ of the target registers here).</summary>
    internal CoreArbiter Arbiter { get; }

    /// <summary>The poll group driving this target's connections (null: asynchronous per-connection loops).</summary>
    internal PollGroup? PollGroup => _pollGroup;

    /// <summary>I/O commands parked waiting for the core's arbiter (contended dequeue capacity).</summary>
    public int ArbiterPending => Arbiter.Pending;

    /// <summary>I/O commands dequeued through arbitration (contended path) since start.</summary>
    public long ArbiterGranted => Arbiter.Granted;

    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    public int ConnectionCount
    {
        get
        {
            lock (_lock)
            {
                return _queuePairs.Count;
            }
        }
    }

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    public long HostTerminations => Interlocked.Read(ref _hostTerminations);

    public long FatalErrors(FatalErrorStatus status) => Interlocked.Read(ref _fatalCounts[(int)status & 7]);

    /// <summary>Sets an application's rate at runtime (the controller's seam); floor 1 IOPS.</summary>
    public void SetApplicationRate(AppId app, long iops, long bytesPerSecond) => RateLimiter.SetApplicationRate(app, iops, bytesPerSecond);

    /// <summary>Sets the target core's dequeue capacity in IOPS at runtime (0 = unlimited).</summary>
    public void SetCoreCapacity(long iops) => Arbiter.SetCapacity(iops);

    /// <summary>Sets how the core's arbiter picks the next SQ under contention (RR or WRR).</summary>
    public void SetArbitrationPolicy(SchedulingPolicy policy) => Arbiter.Policy = policy;

    /// <summary>Weighted-round-robin weight (1..255) of an application: its SQs get this many commands per turn.</summary>
    public void SetApplicationWeight(AppId app, int weight) => Arbiter.SetWeight(app, weight);

    public void Start(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(endPoint);
        listener.Listen(512);
        _listener = listener;
        var local = (IPEndPoint)listener.LocalEndPoint!;
        Catalog.AdvertisePort = local.Port;
        Catalog.AdvertiseAddress = Config.AdvertiseAddress ??
            (local.Address.Equals(IPAddress.Any) ? "127.0.0.1" : local.Address.ToString());
        var interval = TimeSpan.FromMilliseconds(Math.Max(10, Config.KeepAliveCheckIntervalMs));
        _keepAliveTimer = Time.CreateTimer(static s => ((NvmeTcpTarget)s!).CheckKeepAlive(), this, interval, interval);
        if (Config.PollGroup && PollGroup.IsSupported && ReferenceEquals(Time, TimeProvider.System))
        {
            _pollGroup = new PollGroup(this, $"nvmf-poll:{local.Port}", Config.PollSpinMicroseconds);
        }

        _acceptLoop = AcceptLoopAsync(listener);
        LogListening(local);
    }

    /// <summary>Every controller whose KATO expired gets CSTS.CFS and loses its queues; the others are untouched.</summary>
    public void CheckKeepAlive()
    {
        lock (_kaScratch)
        {
            _kaScratch.Clear();
            foreach (var s in Catalog.Subsystems)
            {
                s.CopyControllers(_kaScratch);
            }

            Catalog.Discovery.CopyControllers(_kaScratch);
            foreach (var c in _kaScratch)
            {
                if (!c.IsFailed && c.IsKeepAliveExpired())
                {
                    LogKeepAliveExpired(c.Id.Value, c.Subsystem.Nqn, c.App.HostNqn);
                    c.Fail();
                }
            }

            _kaScratch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _keepAliveTimer?.Dispose();
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        TcpQueuePair[] all;
        lock (_lock)
        {
            all = [.. _queuePairs];
        }

        foreach (var qp in all)
        {
            qp.Abort();
        }

        var deadline = Time.GetTimestamp();
        while (ConnectionCount > 0 && Time.GetElapsedTime(deadline) < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        _pollGroup?.Dispose();
        Arbiter.Dispose();
        Catalog.Dispose();
    }

    public void CollectApplicationCounters(ICollection<ApplicationCounters> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        lock (_counterScratch)
        {
            _counterScratch.Clear();
            foreach (var s in Catalog.Subsystems)
            {
                s.CopyControllers(_counterScratch);
            }

            foreach (var c in _counterScratch)
            {
                destination.Add(new ApplicationCounters(c.App, c.Id,
                    Interlocked.Read(ref c.HostReadCommands), Interlocked.Read(ref c.HostWriteCommands),
                    Interlocked.Read(ref c.DataUnitsRead) << 9, Interlocked.Read(ref c.DataUnitsWritten) << 9, c.Latency,
                    (long)(Interlocked.Read(ref c.CpuTicks) * (1e9 / Stopwatch.Frequency)), Interlocked.Read(ref c.PdusReceived)));
            }

            _counterScratch.Clear();
        }
    }

    internal void CountFatal(FatalErrorStatus status) => Interlocked.Increment(ref _fatalCounts[(int)status & 7]);

    /// <summary>Exceptions that escaped a queue pair (bugs). The mutation test asserts this stays 0.</summary>
    public long UnexpectedErrors => Interlocked.Read(ref _unexpectedErrors);

    public Exception? LastUnexpectedError { get; private set; }

    internal void CountUnexpected(Exception ex)
    {
        LastUnexpectedError = ex;
        Interlocked.Increment(ref _unexpectedErrors);
        LogUnexpected(ex);
    }

    internal void CountHostTermination() => Interlocked.Increment(ref _hostTerminations);

    internal void Unregister(TcpQueuePair qp)
    {
        lock (_lock)
        {
            _queuePairs.Remove(qp);
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            Interlocked.Increment(ref _connectionsAccepted);
            var qp = new TcpQueuePair(socket, this);
            lock (_lock)
            {
                _queuePairs.Add(qp);
                AttachSignal(qp);
            }

            if (_pollGroup is { } group)
            {
                qp.AttachPollGroup(group);
                group.Add(qp);
                continue;
            }

            _ = Task.Run(qp.RunAsync);
        }
    }
}
