using System.Net;
using System.Net.Sockets;

namespace Offload.Nic.Datapath;

/// <summary>
/// The datapath's poll thread: polls while there is work; when idle it spins (64 rounds), then yields (64 rounds), then
/// parks in <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>
/// on the port sockets plus a wake socket, for at most <see cref="DefaultParkTimeout"/> (so flow and upcall timeouts are still
/// swept). A frame arriving or <see cref="Wake"/> (called when the controller queues an install or removal) ends the
/// park at once. An idle NIC therefore costs about 20 short wake-ups a second instead of a busy core.
/// </summary>
internal sealed class PollLoop : IDisposable
{
    /// <summary>Default longest park; bounds the delay of timeout sweeps while idle.</summary>
    public static readonly TimeSpan DefaultParkTimeout = TimeSpan.FromMilliseconds(50);

    private const int SpinRounds = 64;
    private const int YieldRounds = 128;

    private static readonly byte[] WakeByte = [1];

    private readonly SwitchDatapath _datapath;
    private readonly Socket[] _sockets;
    private readonly Socket _wakeReceiver;
    private readonly Socket _wakeSender;
    private readonly List<Socket> _readable;
    private readonly byte[] _drain = new byte[16];
    private readonly int _parkMicroseconds;
    private long _parks;
    private long _wakeRequests;
    private int _parked;

    public PollLoop(SwitchDatapath datapath, IReadOnlyList<Socket> sockets, TimeSpan? parkTimeout = null)
    {
        _parkMicroseconds = (int)Math.Clamp((parkTimeout ?? DefaultParkTimeout).TotalMicroseconds, 1, int.MaxValue);
        ArgumentNullException.ThrowIfNull(datapath);
        ArgumentNullException.ThrowIfNull(sockets);
        _datapath = datapath;
        _sockets = [.. sockets];
        _readable = new List<Socket>(_sockets.Length + 1);
        _wakeReceiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeReceiver.Blocking = false;
        _wakeSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeSender.Connect(_wakeReceiver.LocalEndPoint!);
        _wakeSender.Blocking = false;
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
            _wakeSender.Send(WakeByte, SocketFlags.None, out _);
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
        _wakeSender.Dispose();
        _wakeReceiver.Dispose();
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

        _readable.Clear();
        for (int i = 0; i < _sockets.Length; i++)
        {
            _readable.Add(_sockets[i]);
        }

        _readable.Add(_wakeReceiver);
        Interlocked.Increment(ref _parks);
        Socket.Select(_readable, null, null, _parkMicroseconds);
        Volatile.Write(ref _parked, 0);
        if (_readable.Contains(_wakeReceiver))
        {
            while (_wakeReceiver.Receive(_drain, SocketFlags.None, out var error) > 0 && error == SocketError.Success)
            {
            }
        }
    }
}
