using System.Net;
using System.Net.Sockets;

namespace Offload.Nic.Datapath;

/// <summary>
/// The datapath's poll thread: polls while there is work; when idle it spins (64 rounds), then yields (64 rounds), then
/// parks in <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>
/// on the port sockets plus a wake socket, for at most <see cref="ParkTimeout"/> (so flow and upcall timeouts are still
/// swept). A frame arriving or <see cref="Wake"/> (called when the controller queues an install or removal) ends the
/// park at once. An idle NIC therefore costs about 20 short wake-ups a second instead of a busy core.
/// </summary>
internal sealed class PollLoop : IDisposable
{
    /// <summary>Longest park; bounds the delay of timeout sweeps while idle.</summary>
    public static readonly TimeSpan ParkTimeout = TimeSpan.FromMilliseconds(50);

    private const int SpinRounds = 64;
    private const int YieldRounds = 128;

    private static readonly byte[] WakeByte = [1];

    private readonly SwitchDatapath _datapath;
    private readonly Socket[] _sockets;
    private readonly Socket _wakeReceiver;
    private readonly Socket _wakeSender;
    private readonly List<Socket> _readable;
    private readonly byte[] _drain = new byte[16];
    private long _parks;

    public PollLoop(SwitchDatapath datapath, IReadOnlyList<Socket> sockets)
    {
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

    /// <summary>Ends a park now (thread-safe, never blocks). Called after queueing a control command.</summary>
    public void Wake() => _wakeSender.Send(WakeByte, SocketFlags.None, out _);

    /// <summary>Runs the loop on a dedicated thread until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

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
                Park();
            }
        }
    }

    private void Park()
    {
        _readable.Clear();
        for (int i = 0; i < _sockets.Length; i++)
        {
            _readable.Add(_sockets[i]);
        }

        _readable.Add(_wakeReceiver);
        Interlocked.Increment(ref _parks);
        Socket.Select(_readable, null, null, (int)ParkTimeout.TotalMicroseconds);
        if (_readable.Contains(_wakeReceiver))
        {
            while (_wakeReceiver.Receive(_drain, SocketFlags.None, out var error) > 0 && error == SocketError.Success)
            {
            }
        }
    }
}
