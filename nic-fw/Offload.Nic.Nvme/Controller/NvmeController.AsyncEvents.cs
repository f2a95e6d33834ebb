using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Controller;

/// <summary>
/// Asynchronous events (NVMe Base 2.0, §5.2 Asynchronous Event Request; §5.16 Get Log Page, Changed Namespace List
/// log page 04h; §5.27 Set Features, Asynchronous Event Configuration FID 0Bh). AERs are held until an event; a
/// Namespace Attribute Changed notice completes one with CQE DW0 = AET 2h (Notice) | AEI 00h &lt;&lt; 8 | LID 04h &lt;&lt; 16,
/// if the host enabled Namespace Attribute Notices (AEC bit 8). After a notice the event type stays masked until the
/// host reads log page 04h with RAE cleared, which also clears the list. An event with no AER outstanding is kept
/// and completes the next AER. All state is under the controller lock: the hook runs on any thread, the admin queue
/// sends the completion on its own thread (<see cref="IQueuePairLink.NotifyAsyncEvent"/>).
/// </summary>
public sealed partial class NvmeController
{
    /// <summary>Maximum outstanding Asynchronous Event Requests (Identify AERL is 0's based).</summary>
    public const int AsyncEventRequestLimit = 4;

    /// <summary>Asynchronous Event Configuration bit 8: Namespace Attribute Notices (NSAN).</summary>
    public const uint AecNamespaceAttributeNotices = 1u << 8;

    /// <summary>AER completion DW0 for Notice (AET 010b) / Namespace Attribute Changed (AEI 00h) / log page 04h.</summary>
    public const uint NamespaceAttributeChangedResult = 0x2u | (0x00u << 8) | ((uint)LogChangedNamespaces << 16);

    /// <summary>Changed Namespace List capacity: 1,024 NSIDs; more changes report FFFFFFFFh in the first entry.</summary>
    public const int ChangedNamespaceListCapacity = 1024;

    private readonly ushort[] _heldAers = new ushort[AsyncEventRequestLimit];
    private readonly Queue<ushort> _readyAerCids = new(AsyncEventRequestLimit);
    private readonly List<uint> _changedNamespaces = new(16);
    private uint _asyncEventConfig;
    private int _heldAerCount;
    private bool _changedNamespacesOverflow;
    private bool _namespaceEventPending;
    private bool _namespaceEventMasked;

    public uint AsyncEventConfig
    {
        get
        {
            lock (_lock)
            {
                return _asyncEventConfig;
            }
        }
    }

    public int HeldAsyncEventRequests
    {
        get
        {
            lock (_lock)
            {
                return _heldAerCount;
            }
        }
    }

    /// <summary>
    /// A namespace of this controller's subsystem changed (attached, detached, resized, ...): it enters the Changed
    /// Namespace List log and, if notices are enabled and not masked, a held AER completes (or the next one will).
    /// Thread-safe; normally called through <see cref="Subsystem.NvmeSubsystem.NotifyNamespaceAttributeChanged"/>.
    /// </summary>
    public void NotifyNamespaceAttributeChanged(uint nsid)
    {
        IQueuePairLink? admin = null;
        lock (_lock)
        {
            if (_torn)
            {
                return;
            }

            RecordChangedNamespace(nsid);
            if ((_asyncEventConfig & AecNamespaceAttributeNotices) == 0 || _namespaceEventMasked || _namespaceEventPending)
            {
                return;
            }

            if (_heldAerCount == 0)
            {
                _namespaceEventPending = true;
                return;
            }

            _readyAerCids.Enqueue(TakeOldestHeldAer());
            _namespaceEventMasked = true;
            foreach (var q in _queues)
            {
                if (q.QueueId == 0)
                {
                    admin = q;
                }
            }
        }

        admin?.NotifyAsyncEvent();
    }

    /// <summary>An AER completion ready to send: the held command's CID and its CQE DW0. Admin queue thread.</summary>
    public bool TryTakeAsyncEventCompletion(out ushort cid, out uint result)
    {
        lock (_lock)
        {
            result = NamespaceAttributeChangedResult;
            return _readyAerCids.TryDequeue(out cid);
        }
    }

    private NvmeStatus HandleAsyncEventRequest(ushort cid, out ulong result, out bool held)
    {
        result = 0;
        held = false;
        lock (_lock)
        {
            if (_heldAerCount + _readyAerCids.Count >= AsyncEventRequestLimit)
            {
                return NvmeStatus.AsyncEventLimitExceeded;
            }

            if (_namespaceEventPending && (_asyncEventConfig & AecNamespaceAttributeNotices) != 0 && !_namespaceEventMasked)
            {
                // The event happened while no AER was outstanding: this one reports it at once.
                _namespaceEventPending = false;
                _namespaceEventMasked = true;
                result = NamespaceAttributeChangedResult;
                return NvmeStatus.Success;
            }

            _heldAers[_heldAerCount++] = cid;
            held = true;
            return NvmeStatus.Success;
        }
    }

    private void SetAsyncEventConfig(uint value)
    {
        lock (_lock)
        {
            _asyncEventConfig = value;
        }
    }

    /// <summary>Log page 04h: NSIDs in ascending order, zero-filled; FFFFFFFFh first when more than 1,024 changed.
    /// Without RAE the read clears the list and unmasks the notice.</summary>
    private byte[] ReadChangedNamespaceLog(bool retainAsyncEvent)
    {
        var page = new byte[ChangedNamespaceListCapacity * 4];
        lock (_lock)
        {
            if (_changedNamespacesOverflow)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(page, uint.MaxValue);
            }
            else
            {
                for (var i = 0; i < _changedNamespaces.Count; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(i * 4), _changedNamespaces[i]);
                }
            }

            if (!retainAsyncEvent)
            {
                _changedNamespaces.Clear();
                _changedNamespacesOverflow = false;
                _namespaceEventMasked = false;
                _namespaceEventPending = false;
            }
        }

        return page;
    }

    private void RecordChangedNamespace(uint nsid)
    {
        if (_changedNamespacesOverflow)
        {
            return;
        }

        var at = _changedNamespaces.BinarySearch(nsid);
        if (at >= 0)
        {
            return;
        }

        if (_changedNamespaces.Count == ChangedNamespaceListCapacity)
        {
            _changedNamespacesOverflow = true;
            _changedNamespaces.Clear();
            return;
        }

        _changedNamespaces.Insert(~at, nsid);
    }

    private ushort TakeOldestHeldAer()
    {
        var cid = _heldAers[0];
        _heldAerCount--;
        Array.Copy(_heldAers, 1, _heldAers, 0, _heldAerCount);
        return cid;
    }
}
