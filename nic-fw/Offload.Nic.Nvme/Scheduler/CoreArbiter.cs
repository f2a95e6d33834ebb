using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// The dequeue arbiter of one target core (SPDK poll-group style): every I/O SQ served by the core registers here,
/// and when the core's dequeue capacity (<see cref="SetCapacity"/>, IOPS) is contended, the
/// <see cref="DequeueScheduler"/> (round robin or weighted round robin, NVMe Base 2.0 §3.4.4) decides which
/// application's SQ gets the next command. Uncontended commands take <see cref="TryAdmit"/>'s fast path and run
/// inline on their connection (no queueing, no extra wake-up). Waiting SQs are woken through
/// <see cref="IDequeueGrantee.Grant"/>; a one-shot <see cref="TimeProvider"/> timer re-runs the arbitration when
/// capacity refills — no polling thread, so an idle core costs nothing. Thread-safe.
/// </summary>
internal sealed class CoreArbiter : IIdleCapacity, IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly DequeueScheduler _scheduler;
    private readonly ITimer _timer;
    private readonly TimeSpan _minimumWait;
    private TokenBucket? _capacity;
    private volatile bool _capped;
    private bool _timerArmed;
    private int _pending;
    private long _granted;

    /// <param name="wakeups">The clock of the capacity timer (default <paramref name="time"/>): with
    /// <see cref="PreciseTimeProvider"/> waiting SQs are granted when the next token ripens, to within tens of µs;
    /// with a system timer no sooner than 1 ms apart, in batches.</param>
    public CoreArbiter(TimeProvider time, SchedulingPolicy policy, long capacityIops, TimeProvider? wakeups = null)
        : this(time, policy, capacityIops, wakeups ?? time, wakeups is PreciseTimeProvider ? PreciseTimeProvider.Resolution : TimeSpan.FromMilliseconds(1))
    {
    }

    /// <param name="minimumWait">The shortest capacity-timer wait armed (the wake-up clock's resolution).</param>
    internal CoreArbiter(TimeProvider time, SchedulingPolicy policy, long capacityIops, TimeProvider wakeups, TimeSpan minimumWait)
    {
        _time = time;
        _scheduler = new DequeueScheduler(Normalize(policy));
        _minimumWait = minimumWait;
        _timer = wakeups.CreateTimer(static s => ((CoreArbiter)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        SetCapacity(capacityIops);
    }

    public SchedulingPolicy Policy
    {
        get
        {
            lock (_lock)
            {
                return _scheduler.Policy;
            }
        }

        set
        {
            lock (_lock)
            {
                _scheduler.Policy = Normalize(value);
            }
        }
    }

    /// <summary>Commands granted through arbitration (the contended path).</summary>
    public long Granted => Interlocked.Read(ref _granted);

    /// <summary>Commands parsed and waiting for a grant, over all SQs of the core.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending;
            }
        }
    }

    /// <summary>Capacity kept back from work-conserving lending while a priority (latency-class) SQ is registered.</summary>
    public const double LatencyReserveSeconds = 0.002;

    /// <summary>True when the core is capped, nothing waits for a grant and a command could start now: the
    /// work-conserving limiter may then lend a command beyond its application's rate (uncapped, there is no idle
    /// capacity to lend: the limiter's rates are the only bound).</summary>
    public bool HasIdleCapacity
    {
        get
        {
            if (!_capped)
            {
                return false;
            }

            lock (_lock)
            {
                if (_pending != 0 || _capacity is not { } capacity)
                {
                    return false;
                }

                // While a priority SQ is registered, lending stops short of the last LatencyReserveSeconds of
                // capacity, so a latency-class command arriving finds a token instead of waiting for the timer.
                double reserve = _scheduler.HasPriorityQueues ? Math.Max(1, capacity.RatePerSecond * LatencyReserveSeconds) : 0;
                return capacity.Available >= 1 + reserve;
            }
        }
    }

    /// <summary>Sets the core's dequeue capacity in commands per second; 0 or less removes the cap (everything
    /// waiting is granted at once).</summary>
    public void SetCapacity(long iops)
    {
        lock (_lock)
        {
            if (iops <= 0)
            {
                _capacity = null;
                _capped = false;
            }
            else
            {
                var burst = Math.Max(2, iops * TokenBucketRateLimiter.BurstSeconds);
                if (_capacity is null)
                {
                    _capacity = new TokenBucket(_time, iops, burst);
                }
                else
                {
                    _capacity.SetRate(iops, burst);
                }

                _capped = true;
            }

            DrainLocked();
        }
    }

    /// <summary>WRR weight of an application (1..255), for each of its SQs.</summary>
    public void SetWeight(AppId app, int weight)
    {
        lock (_lock)
        {
            _scheduler.SetWeight(app, weight);
        }
    }

    /// <summary>Latency class (true): the application's SQs are granted before every other SQ.</summary>
    public void SetPriority(AppId app, bool latency)
    {
        lock (_lock)
        {
            _scheduler.SetPriority(app, latency);
        }
    }

    public ArbitratedQueue Register(IDequeueGrantee owner)
    {
        var queue = new ArbitratedQueue(this, owner);
        lock (_lock)
        {
            _scheduler.Register(queue);
            queue.IsRegistered = true;
        }

        return queue;
    }

    public void Unregister(ArbitratedQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_lock)
        {
            if (!queue.IsRegistered)
            {
                return;
            }

            queue.IsRegistered = false;
            _pending -= queue.Waiting;
            queue.Waiting = 0;
            _scheduler.Unregister(queue);
        }
    }

    /// <summary>Fast path for an SQ with nothing waiting: true when the command may run now (no cap, or capacity
    /// left and no other SQ waiting). False means: queue it with <see cref="Enqueue"/>.</summary>
    public bool TryAdmit()
    {
        if (!_capped)
        {
            return true;
        }

        lock (_lock)
        {
            if (_capacity is null)
            {
                return true;
            }

            if (_pending > 0)
            {
                return false;
            }

            return _capacity.TryTake(1, out _);
        }
    }

    /// <summary>One more command waits on <paramref name="queue"/>; arbitration runs at once.</summary>
    public void Enqueue(ArbitratedQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_lock)
        {
            if (!queue.IsRegistered)
            {
                return;
            }

            queue.Waiting++;
            _pending++;
            DrainLocked();
        }
    }

    public void Dispose() => _timer.Dispose();

    internal void CountDequeued()
    {
        _pending--;
        _granted++;
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            _timerArmed = false;
            DrainLocked();
        }
    }

    private void DrainLocked()
    {
        if (_pending <= 0)
        {
            return;
        }

        if (_capacity is not { } capacity)
        {
            _scheduler.Drain(_pending);
            return;
        }

        var budget = (int)Math.Min(_pending, Math.Floor(capacity.Available));
        if (budget > 0)
        {
            capacity.Consume(_scheduler.Drain(budget));
        }

        if (_pending > 0 && !_timerArmed)
        {
            // Wake when the next token ripens (no sooner than the timer's resolution: 1 ms for a system timer, then
            // several commands are granted per wake-up; tens of µs for a precise one).
            var due = TimeSpan.FromSeconds((1 - Math.Min(1, capacity.Available)) / capacity.RatePerSecond);
            _timerArmed = true;
            _timer.Change(due < _minimumWait ? _minimumWait : due, Timeout.InfiniteTimeSpan);
        }
    }

    private static SchedulingPolicy Normalize(SchedulingPolicy policy) =>
        policy == SchedulingPolicy.WeightedRoundRobin ? policy : SchedulingPolicy.RoundRobin;
}
