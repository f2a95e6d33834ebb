using System.Runtime.InteropServices;
using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath;

/// <summary>
/// The datapath's poll thread: polls while there is work; when idle it spins (64 rounds), then yields (64 rounds), then
/// parks in poll(2) on the ports' readiness descriptors (<see cref="IPollablePort"/>: sockets, TAP and AF_PACKET
/// descriptors, a stream port's listener until its peer connects) plus a wake socket, for at most <see cref="DefaultParkTimeout"/> (so flow and upcall timeouts are still
/// swept). A frame arriving or <see cref="Wake"/> (called when the controller queues an install or removal) ends the
/// park at once. An idle NIC therefore costs about 20 short wake-ups a second instead of a busy core.
/// </summary>
internal sealed class PollLoop : IDisposable
{
    /// <summary>Default longest park; bounds the delay of timeout sweeps while idle.</summary>
    public static readonly TimeSpan DefaultParkTimeout = TimeSpan.FromMilliseconds(50);

    private const int SpinRounds = 64;
    private const int YieldRounds = 128;

    private readonly SwitchDatapath _datapath;
    private readonly IPollablePort[] _ports;
    private readonly int _wakeDescriptor; // eventfd: needs no network (a fresh network namespace has loopback down)
    private readonly PollDescriptor[] _descriptors;
    private readonly int _parkMilliseconds;
    private long _parks;
    private long _wakeRequests;
    private int _parked;
    private int _disposed;

    /// <param name="datapath">The datapath to poll.</param>
    /// <param name="ports">Its ports; those that are <see cref="IPollablePort"/> end a park when they have work (others are
    /// polled again after at most <paramref name="parkTimeout"/>).</param>
    /// <param name="parkTimeout">Longest park (default <see cref="DefaultParkTimeout"/>).</param>
    public PollLoop(SwitchDatapath datapath, IReadOnlyList<IPort> ports, TimeSpan? parkTimeout = null)
    {
        _parkMilliseconds = (int)Math.Clamp(Math.Ceiling((parkTimeout ?? DefaultParkTimeout).TotalMilliseconds), 1, int.MaxValue);
        ArgumentNullException.ThrowIfNull(datapath);
        ArgumentNullException.ThrowIfNull(ports);
        _datapath = datapath;
        _ports = [.. ports.OfType<IPollablePort>()];
        _descriptors = new PollDescriptor[_ports.Length + 1];
        _wakeDescriptor = PollNative.EventDescriptor(0, PollNative.EventNonBlockingCloseOnExec);
        if (_wakeDescriptor < 0)
        {
            throw new IOException($"eventfd failed (errno {Marshal.GetLastPInvokeError()}); the poll loop cannot be woken.");
        }
    }

    /// <summary>Times the loop parked (idle).</summary>
    public long Parks => Interlocked.Read(ref _parks);

    /// <summary>
    /// Ends a park now, or stops the next one (thread-safe, never blocks). Called after queueing a control command.
    /// Only a parked loop costs a system call: the request is counted, and the loop re-checks the count after
    /// announcing that it parks (both sides use full fences, so one of them always sees the other).
    /// </summary>
    public void Wake()
    {
        Interlocked.Increment(ref _wakeRequests);
        if (Volatile.Read(ref _parked) != 0)
        {
            Signal();
        }
    }

    /// <summary>Runs the loop on a dedicated thread until cancelled (cancelling also ends a park).</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () =>
            {
                using var registration = cancellationToken.Register(Wake);
                Run(cancellationToken);
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            PollNative.Close(_wakeDescriptor);
        }
    }

    private unsafe void Signal()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            ulong one = 1;
            PollNative.Write(_wakeDescriptor, &one, sizeof(ulong));
        }
    }

    private void Run(CancellationToken cancellationToken)
    {
        int idle = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            long seen = Volatile.Read(ref _wakeRequests);
            if (_datapath.Poll() > 0)
            {
                idle = 0;
                continue;
            }

            idle++;
            if (idle < SpinRounds)
            {
                Thread.SpinWait(32);
            }
            else if (idle < YieldRounds)
            {
                Thread.Yield();
            }
            else
            {
                Park(seen, cancellationToken);
            }
        }
    }

    private void Park(long seen, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _parked, 1);
        if (Interlocked.Read(ref _wakeRequests) != seen || cancellationToken.IsCancellationRequested)
        {
            // A command was queued since the last poll (poll again first), or a stop was requested before we
            // announced the park (its wake-up may have been skipped).
            Volatile.Write(ref _parked, 0);
            return;
        }

        var count = 0;
        for (int i = 0; i < _ports.Length; i++)
        {
            var descriptor = _ports[i].ReadinessDescriptor;
            if (descriptor >= 0)
            {
                _descriptors[count++] = new PollDescriptor { Descriptor = descriptor, Events = PollDescriptor.ReadableEvent };
            }
        }

        _descriptors[count++] = new PollDescriptor { Descriptor = _wakeDescriptor, Events = PollDescriptor.ReadableEvent };
        Interlocked.Increment(ref _parks);
        int ready;
        unsafe
        {
            fixed (PollDescriptor* descriptors = _descriptors)
            {
                ready = PollNative.Poll(descriptors, (nuint)count, _parkMilliseconds);
            }
        }

        Volatile.Write(ref _parked, 0);
        if (ready > 0 && _descriptors[count - 1].ReturnedEvents != 0)
        {
            ulong wakes;
            unsafe
            {
                PollNative.Read(_wakeDescriptor, &wakes, sizeof(ulong)); // resets the eventfd counter
            }
        }
    }
}
