using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Offload.Contracts.Threading;
using Offload.Nic.Nvme.QueuePair;

namespace Offload.Nic.Nvme.Transport;

/// <summary>
/// SPDK-style poll group: one dedicated thread owns its connections' receives and sends. Sockets are non-blocking
/// and registered edge-triggered in one epoll set; each ready connection drains what is readable, processes every
/// complete PDU and sends the batch's responses with one send per pass (<see cref="TcpQueuePair.Poll"/>). When
/// nothing happened for the configured spin time the thread parks in epoll_wait (idle CPU ~0); other threads
/// (arbiter grants, asynchronous events, keep-alive aborts) wake a connection through an eventfd.
/// </summary>
internal sealed class PollGroup : IDisposable
{
    private const ulong WakeToken = ulong.MaxValue;
    private const int MaxEvents = 64;

    /// <summary>Default of <see cref="Subsystem.TargetConfig.PollSpinMicroseconds"/>.</summary>
    internal const int DefaultSpinMicroseconds = 50;

    private readonly int _epoll;
    private readonly int _wakeFd;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<TcpQueuePair> _adds = new();
    private readonly NvmeTcpTarget _target;
    private TcpQueuePair?[] _slots = new TcpQueuePair?[64];
    private int _highWater;
    private int _wakeAny;
    private int _parked;
    private readonly int _spinMicroseconds;
    private volatile bool _stopping;
    private bool _precise = true;
    private long _deferredSends;
    private long _parks;
    private long _zeroCopyReads;
    private long _spilledBytes;

    public PollGroup(NvmeTcpTarget target, string name, int spinMicroseconds = DefaultSpinMicroseconds)
    {
        _target = target;
        _spinMicroseconds = Math.Max(0, spinMicroseconds);
        _epoll = EpollNative.Create(EpollNative.CloseOnExec);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _wakeFd = EpollNative.EventDescriptor(0, EpollNative.EventNonBlockingCloseOnExec);
        if (_wakeFd < 0 || !Register(_wakeFd, EpollNative.In, WakeToken))
        {
            EpollNative.Close(_epoll);
            throw new InvalidOperationException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>epoll: Linux, on any architecture (<see cref="EpollEvent"/> takes the architecture's layout; the BlueField's
    /// arm64 included). Elsewhere the target keeps the asynchronous per-connection loop.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Connections this group currently owns (for tests and diagnostics).</summary>
    public int Count { get; private set; }

    /// <summary>Sends that found the socket full and waited for an EPOLLOUT edge (diagnostics).</summary>
    public long DeferredSends => Interlocked.Read(ref _deferredSends);

    /// <summary>Times the thread parked in epoll_wait with a non-zero timeout (diagnostics).</summary>
    public long Parks => Interlocked.Read(ref _parks);

    /// <summary>True while the thread waits through epoll_pwait2 (nanosecond timeouts); false once it fell back to
    /// epoll_wait (a kernel before 5.11, or a C library without the call).</summary>
    public bool PreciseWaits => Volatile.Read(ref _precise);

    /// <summary>/proc/PID/task/TID of the group's thread (Linux), for per-thread CPU accounting in tests.</summary>
    public string? ThreadProcPath { get; private set; }

    /// <summary>Reads whose data was sent straight from namespace memory (diagnostics; written by the group thread only).</summary>
    public long ZeroCopyReads => Volatile.Read(ref _zeroCopyReads);

    /// <summary>Bytes copied into connections' spill buffers: partial sends of zero-copy batches and zero-copy data
    /// settled before a write on the same connection (diagnostics; written by the group thread only).</summary>
    public long SpilledBytes => Volatile.Read(ref _spilledBytes);

    internal void CountDeferredSend() => Interlocked.Increment(ref _deferredSends);

    internal void CountZeroCopyRead() => Volatile.Write(ref _zeroCopyReads, _zeroCopyReads + 1);

    internal void CountSpilled(long bytes) => Volatile.Write(ref _spilledBytes, _spilledBytes + bytes);

    /// <summary>Hands an accepted connection to the group's thread (any thread).</summary>
    public void Add(TcpQueuePair qp)
    {
        _adds.Enqueue(qp);
        Signal();
    }

    /// <summary>Marks a connection to be polled on the next pass and wakes the thread if parked (any thread).</summary>
    public void Wake(TcpQueuePair qp)
    {
        Volatile.Write(ref qp.PollWakeRequested, 1);
        Signal();
    }

    public void Dispose()
    {
        _stopping = true;
        Signal();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    private void Signal()
    {
        Interlocked.Exchange(ref _wakeAny, 1);
        if (Volatile.Read(ref _parked) != 0)
        {
            WriteWake();
        }
    }

    private unsafe void WriteWake()
    {
        ulong one = 1;
        EpollNative.Write(_wakeFd, &one, sizeof(ulong));
    }

    private unsafe bool Register(int descriptor, uint events, ulong token)
    {
        byte* ev = stackalloc byte[EpollEvent.MaxSize];
        EpollEvent.Write(ev, 0, events, token);
        return EpollNative.Control(_epoll, EpollNative.Add, descriptor, ev) == 0;
    }

    private unsafe void Run()
    {
        ThreadProcPath = new FileInfo("/proc/thread-self").ResolveLinkTarget(returnFinalTarget: false)?.FullName;
        byte* events = stackalloc byte[MaxEvents * EpollEvent.MaxSize];
        var spinTicks = Stopwatch.Frequency * _spinMicroseconds / 1_000_000;
        var lastWork = Stopwatch.GetTimestamp();
        while (!_stopping)
        {
            var now = Stopwatch.GetTimestamp();
            var pending = Poll(now);
            if (pending.Worked)
            {
                lastWork = now;
            }

            long timeout = 0;
            if (!pending.AnyReady && now - lastWork >= spinTicks)
            {
                timeout = pending.NextDeadline == long.MaxValue
                    ? -1
                    : (long)Math.Clamp((pending.NextDeadline - now) * (1e9 / Stopwatch.Frequency), 0, long.MaxValue);
                Interlocked.Exchange(ref _parked, 1);
                if (Volatile.Read(ref _wakeAny) != 0 || _stopping)
                {
                    timeout = 0;
                }
                else
                {
                    Interlocked.Increment(ref _parks);
                }
            }

            var n = Wait(events, timeout);
            Volatile.Write(ref _parked, 0);
            for (var i = 0; i < n; i++)
            {
                var token = EpollEvent.DataAt(events, i);
                if (token == WakeToken)
                {
                    ulong value;
                    EpollNative.Read(_wakeFd, &value, sizeof(ulong));
                }
                else if (token < (ulong)_slots.Length && _slots[token] is { } qp)
                {
                    qp.PollReady = true;
                }
            }
        }

        for (var i = 0; i < _highWater; i++)
        {
            if (_slots[i] is { } qp)
            {
                qp.Abort();
                Remove(qp);
            }
        }

        EpollNative.Close(_wakeFd);
        EpollNative.Close(_epoll);
    }

    /// <summary>
    /// epoll_pwait2 with the timeout in nanoseconds (-1: none), so a rate-limited command is retried when its token
    /// ripens; epoll_wait's milliseconds, rounded up and one more, held it for 1-2 ms whatever its wait (at 500 IOPS a
    /// token ripens every 2 ms). Kernels before 5.11 (ENOSYS) and C libraries without the call fall back to
    /// epoll_wait for good.
    /// </summary>
    private unsafe int Wait(byte* events, long timeoutNanoseconds)
    {
        if (_precise)
        {
            try
            {
                int n;
                if (timeoutNanoseconds < 0)
                {
                    n = EpollNative.WaitPrecise(_epoll, events, MaxEvents, null, 0);
                }
                else
                {
                    var timeout = TimeSpec.FromNanoseconds(timeoutNanoseconds);
                    n = EpollNative.WaitPrecise(_epoll, events, MaxEvents, &timeout, 0);
                }

                if (n >= 0 || Marshal.GetLastPInvokeError() != EpollNative.NotImplemented)
                {
                    return n;
                }
            }
            catch (EntryPointNotFoundException)
            {
            }

            _precise = false;
        }

        int milliseconds = timeoutNanoseconds < 0 ? -1 : (int)Math.Min(int.MaxValue, (timeoutNanoseconds / 1_000_000) + 1);
        return EpollNative.Wait(_epoll, events, MaxEvents, milliseconds);
    }

    /// <summary>One pass: adopts new connections, collects wakes and due timers, polls every ready connection.</summary>
    private (bool Worked, bool AnyReady, long NextDeadline) Poll(long now)
    {
        var worked = false;
        if (Interlocked.Exchange(ref _wakeAny, 0) != 0)
        {
            while (_adds.TryDequeue(out var added))
            {
                Adopt(added);
            }

            for (var i = 0; i < _highWater; i++)
            {
                if (_slots[i] is { } woken && Interlocked.Exchange(ref woken.PollWakeRequested, 0) != 0)
                {
                    woken.PollReady = true;
                }
            }
        }

        var anyReady = false;
        var nextDeadline = long.MaxValue;
        for (var i = 0; i < _highWater; i++)
        {
            if (_slots[i] is not { } qp)
            {
                continue;
            }

            if (qp.PollWakeAt != 0)
            {
                if (now >= qp.PollWakeAt)
                {
                    qp.PollWakeAt = 0;
                    qp.PollReady = true;
                }
                else
                {
                    nextDeadline = Math.Min(nextDeadline, qp.PollWakeAt);
                }
            }

            if (!qp.PollReady)
            {
                continue;
            }

            qp.PollReady = false;
            worked = true;
            switch (qp.Poll())
            {
                case PollStatus.Again:
                    qp.PollReady = true;
                    anyReady = true;
                    break;
                case PollStatus.Timed:
                    nextDeadline = Math.Min(nextDeadline, qp.PollWakeAt);
                    break;
                case PollStatus.Closed:
                    Remove(qp);
                    break;
            }
        }

        return (worked, anyReady, nextDeadline);
    }

    private void Adopt(TcpQueuePair qp)
    {
        var slot = Array.IndexOf(_slots, null);
        if (slot < 0)
        {
            slot = _slots.Length;
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        var socket = qp.Socket!;
        socket.Blocking = false;
        if (!Register((int)socket.Handle, EpollNative.In | EpollNative.Out | EpollNative.ReadHangUp | EpollNative.EdgeTriggered, (ulong)slot))
        {
            _target.CountUnexpected(new SocketException(Marshal.GetLastPInvokeError()));
            qp.PollCleanup();
            return;
        }

        _slots[slot] = qp;
        qp.PollSlot = slot;
        qp.PollReady = true;
        _highWater = Math.Max(_highWater, slot + 1);
        Count++;
    }

    /// <summary>Deregisters (before the descriptor is closed, so a reused number is never touched) and cleans up.</summary>
    private unsafe void Remove(TcpQueuePair qp)
    {
        byte* ev = stackalloc byte[EpollEvent.MaxSize]; // ignored by EPOLL_CTL_DEL; kernels before 2.6.9 wanted one
        EpollEvent.Write(ev, 0, 0, 0);
        EpollNative.Control(_epoll, EpollNative.Delete, (int)qp.Socket!.Handle, ev);
        _slots[qp.PollSlot] = null;
        Count--;
        while (_highWater > 0 && _slots[_highWater - 1] is null)
        {
            _highWater--;
        }

        qp.PollCleanup();
    }
}
