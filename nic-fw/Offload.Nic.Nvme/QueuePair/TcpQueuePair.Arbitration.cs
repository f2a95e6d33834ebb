using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>
/// The queue pair's side of the core's <see cref="CoreArbiter"/>: an I/O command either runs inline (fast path) or,
/// when the core's dequeue capacity is contended, is parked in this SQ (SQE and in-capsule data copied out of the
/// receive buffer) until the arbiter grants it. Grants arrive from any thread through <see cref="Grant"/>; parked
/// commands run on this queue pair's own loop, in SQ order.
/// </summary>
internal sealed partial class TcpQueuePair : IDequeueGrantee
{
    private readonly int[] _sqRing;
    private ArbitratedQueue? _arbiterQueue;
    private int _sqRingHead;
    private int _sqWaiting;
    private int _grants;

    AppId IDequeueGrantee.App => _controller?.App ?? default;

    /// <summary>Commands parked in this SQ waiting for the arbiter.</summary>
    public int ParkedCommands => _sqWaiting;

    void IDequeueGrantee.Grant()
    {
        Interlocked.Increment(ref _grants);
        Signal();
    }

    private void JoinArbiter() => _arbiterQueue ??= _target.Arbiter.Register(this);

    private void LeaveArbiter()
    {
        if (_arbiterQueue is { } queue)
        {
            _target.Arbiter.Unregister(queue);
            _arbiterQueue = null;
        }

        _sqWaiting = 0;
        _sqRingHead = 0;
        Volatile.Write(ref _grants, 0);
    }

    /// <summary>True when the command must wait for the arbiter (it was parked); false: run it now.</summary>
    private bool TryPark(NvmeRequest req, in SubmissionEntry sqe, ReadOnlySpan<byte> inCapsule)
    {
        if (_arbiterQueue is not { } queue || sqe.Opcode == AdminOpcode.Fabrics || inCapsule.Length > _config.MaxTransferSize)
        {
            return false;
        }

        if (_sqWaiting == 0 && _target.Arbiter.TryAdmit())
        {
            return false;
        }

        req.InCapsuleSize = inCapsule.Length;
        if (inCapsule.Length > 0)
        {
            // The receive buffer moves on: keep the in-capsule data with the parked command.
            req.Buffer = _target.Buffers.Rent();
            inCapsule.CopyTo(req.Buffer);
        }

        _sqRing[(_sqRingHead + _sqWaiting) % _sqRing.Length] = req.Tag;
        _sqWaiting++;
        _target.Arbiter.Enqueue(queue);
        return true;
    }

    /// <summary>Runs parked commands the arbiter granted; true when some remain for lack of send space (flush first).</summary>
    private bool RunGranted()
    {
        while (_sqWaiting > 0 && Volatile.Read(ref _grants) > 0 && !_closeAfterFlush)
        {
            if (_send.Length - _sendLength < _config.MaxTransferSize + 256 + SendSlack)
            {
                return true;
            }

            Interlocked.Decrement(ref _grants);
            var req = _requests[_sqRing[_sqRingHead]];
            _sqRingHead = (_sqRingHead + 1) % _sqRing.Length;
            _sqWaiting--;
            Process(req, req.Buffer is { } b ? b.AsSpan(0, req.InCapsuleSize) : default);
        }

        return false;
    }

    /// <summary>Sends the AER completions the controller has ready (admin queue); true when send space ran out.</summary>
    private bool DeliverAsyncEvents()
    {
        if (Volatile.Read(ref _asyncEventsReady) == 0 || _controller is not { } controller)
        {
            return false;
        }

        Volatile.Write(ref _asyncEventsReady, 0);
        while (true)
        {
            if (_send.Length - _sendLength < 64)
            {
                Volatile.Write(ref _asyncEventsReady, 1);
                return true;
            }

            if (!controller.TryTakeAsyncEventCompletion(out var cid, out var dw0))
            {
                return false;
            }

            foreach (var req in _requests)
            {
                if (req.State == RequestState.Executing && req.CommandId == cid && req.Sqe[0] == AdminOpcode.AsyncEventRequest)
                {
                    req.Status = NvmeStatus.Success;
                    req.Result = dw0;
                    req.State = RequestState.ReadyToComplete;
                    Process(req, default);
                    break;
                }
            }
        }
    }
}
