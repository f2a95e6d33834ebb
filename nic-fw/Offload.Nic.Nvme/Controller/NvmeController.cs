using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Controller;

/// <summary>
/// A dynamic NVMe-oF controller (NVMe over Fabrics 1.1, 3.3; NVMe Base 2.0, 3.1 controller properties): registers
/// CC/CSTS with the real EN->RDY and SHN->SHST transitions, negotiated features, held AERs, keep-alive tracking and
/// the admin command set. One admin queue thread owns command execution; the keep-alive monitor may call
/// <see cref="Fail"/> from another thread, so registers are guarded by a lock.
/// </summary>
public sealed partial class NvmeController
{
    private readonly Lock _lock = new();
    private readonly List<IQueuePairLink> _queues = [];
    private readonly TimeProvider _time;
    private readonly TargetConfig _config;
    private readonly SubsystemCatalog _catalog;
    private uint _cc;
    private uint _csts;
    private long _lastKeepAlive;
    private bool _torn;

    public NvmeController(ControllerId id, NvmeSubsystem subsystem, AppId app, uint katoMs, TargetConfig config,
        SubsystemCatalog catalog, TimeProvider time)
    {
        Id = id;
        Subsystem = subsystem;
        App = app;
        KeepAliveTimeoutMs = katoMs;
        _config = config;
        _catalog = catalog;
        _time = time;
        _lastKeepAlive = time.GetTimestamp();
    }

    public ControllerId Id { get; }

    public NvmeSubsystem Subsystem { get; }

    public AppId App { get; }

    public bool IsDiscovery => Subsystem.IsDiscovery;

    public uint KeepAliveTimeoutMs { get; private set; }

    /// <summary>Number of I/O queues granted by Set Features (Number of Queues); I/O Connect QID must be &lt;= this.</summary>
    public int IoQueuesGranted { get; private set; }


    public bool VolatileWriteCacheEnabled { get; private set; } = true;

    internal long HostReadCommands;

    /// <summary>Stopwatch ticks the target spent in this controller's I/O request state machines (validate, execute
    /// against the namespace, build the response), for per-application CPU time in flow metadata.</summary>
    internal long CpuTicks;

    /// <summary>NVMe/TCP PDUs accepted from this controller's I/O connections (command capsules and H2CData).</summary>
    internal long PdusReceived;

    /// <summary>Latency of this controller's completed Read/Write commands, from the capsule's arrival (or the moment
    /// its rate limit first held it back) to the completion being queued for sending.</summary>
    public LatencyHistogram Latency { get; } = new();
    internal long HostWriteCommands;
    internal long DataUnitsRead;
    internal long DataUnitsWritten;

    public uint Cc
    {
        get
        {
            lock (_lock)
            {
                return _cc;
            }
        }
    }

    public uint Csts
    {
        get
        {
            lock (_lock)
            {
                return _csts;
            }
        }
    }

    public bool IsReady => (Csts & (ControllerRegisters.CstsReady | ControllerRegisters.CstsFatal)) == ControllerRegisters.CstsReady;

    public bool IsFailed => (Csts & ControllerRegisters.CstsFatal) != 0;

    public int QueueCount
    {
        get
        {
            lock (_lock)
            {
                return _queues.Count;
            }
        }
    }

    public bool TryAttachQueue(IQueuePairLink queue)
    {
        lock (_lock)
        {
            if (_torn)
            {
                return false;
            }

            foreach (var q in _queues)
            {
                if (q.QueueId == queue.QueueId)
                {
                    return false;
                }
            }

            _queues.Add(queue);
            return true;
        }
    }

    /// <summary>Called by a queue pair when its connection ends. The admin queue going away ends the controller.</summary>
    public void DetachQueue(IQueuePairLink queue)
    {
        var removeController = false;
        lock (_lock)
        {
            _queues.Remove(queue);
            if (queue.QueueId == 0)
            {
                _torn = true;
                removeController = true;
            }
        }

        if (removeController)
        {
            TearDownQueues();
            Subsystem.RemoveController(this);
        }
    }

    public void KeepAlive() => Interlocked.Exchange(ref _lastKeepAlive, _time.GetTimestamp());

    /// <summary>True when KATO is non-zero and no keep-alive arrived within it.</summary>
    public bool IsKeepAliveExpired()
    {
        var kato = KeepAliveTimeoutMs;
        if (kato == 0)
        {
            return false;
        }

        var elapsed = _time.GetElapsedTime(Interlocked.Read(ref _lastKeepAlive));
        return elapsed.TotalMilliseconds > kato;
    }

    /// <summary>Controller fatal status (CSTS.CFS), then every queue of this controller alone is torn down.</summary>
    public void Fail()
    {
        lock (_lock)
        {
            _csts |= ControllerRegisters.CstsFatal;
            _torn = true;
        }

        TearDownQueues();
        Subsystem.RemoveController(this);
    }

    private void TearDownQueues()
    {
        IQueuePairLink[] queues;
        lock (_lock)
        {
            queues = [.. _queues];
        }

        foreach (var q in queues)
        {
            q.Abort();
        }
    }

    /// <summary>Property Get (NVMe-oF 1.1, 3.4): CAP (8 bytes), VS, CC, CSTS (4 bytes).</summary>
    public NvmeStatus GetProperty(uint offset, bool eightBytes, out ulong value)
    {
        lock (_lock)
        {
            value = offset switch
            {
                ControllerRegisters.Cap => ControllerRegisters.Capabilities(_config.MaxQueueEntries),
                ControllerRegisters.Vs => ControllerRegisters.Version,
                ControllerRegisters.Cc => _cc,
                ControllerRegisters.Csts => _csts,
                _ => ulong.MaxValue,
            };
        }

        if (value == ulong.MaxValue || (offset == ControllerRegisters.Cap) != eightBytes)
        {
            value = 0;
            return NvmeStatus.InvalidField;
        }

        return NvmeStatus.Success;
    }

    /// <summary>Property Set: only CC is writable. EN 0->1 sets CSTS.RDY, EN 1->0 clears it, SHN!=0 sets SHST=complete.</summary>
    public NvmeStatus SetProperty(uint offset, bool eightBytes, ulong value)
    {
        if (offset != ControllerRegisters.Cc || eightBytes)
        {
            return NvmeStatus.InvalidField;
        }

        lock (_lock)
        {
            var cc = (uint)value;
            var wasEnabled = (_cc & ControllerRegisters.CcEnable) != 0;
            var enable = (cc & ControllerRegisters.CcEnable) != 0;
            _cc = cc;
            if (enable && !wasEnabled)
            {
                _csts = (_csts & ~ControllerRegisters.CstsShstMask) | ControllerRegisters.CstsReady;
            }
            else if (!enable && wasEnabled)
            {
                _csts &= ~ControllerRegisters.CstsReady;
            }

            if ((cc & ControllerRegisters.CcShnMask) != 0)
            {
                // Memory-backed namespaces have nothing to flush asynchronously: shutdown completes at once.
                _csts = (_csts & ~ControllerRegisters.CstsShstMask) | ControllerRegisters.CstsShstComplete;
            }
            else if (enable)
            {
                _csts &= ~ControllerRegisters.CstsShstMask;
            }
        }

        return NvmeStatus.Success;
    }
}
