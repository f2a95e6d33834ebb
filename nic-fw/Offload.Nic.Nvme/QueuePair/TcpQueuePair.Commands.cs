using System.Diagnostics;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;

namespace Offload.Nic.Nvme.QueuePair;

internal sealed partial class TcpQueuePair
{
    private ProcessResult HandleCapsule(ReadOnlySpan<byte> pdu)
    {
        var error = CapsuleCommandPdu.TryParse(pdu, _limits, out var capsule);
        if (error.IsError)
        {
            Terminate(error, pdu[..Math.Min(pdu.Length, 128)]);
            return ProcessResult.Close;
        }

        var sqe = new SubmissionEntry(capsule.Sqe);
        long started = 0, now = 0;
        bool held = false;
        if (QueueId != 0 && _controller is { } ctrl && IsIoDataCommand(sqe.Opcode))
        {
            // Dequeue admission: the per-application token bucket decides before anything is done for the command.
            var size = (int)Math.Min(sqe.SglLength, int.MaxValue);
            if (!_target.RateLimiter.TryAcquire(ctrl.App, size, out _rateLimitDelay))
            {
                // The wait the rate limit imposes is part of the command's latency: remember when it began. The held
                // command is the host's real demand, so it counts as SQ occupancy from now on (the controller then
                // sees a throttled application as backlogged, not idle).
                if (_heldSince == 0)
                {
                    _heldSince = Stopwatch.GetTimestamp();
                    SubmissionQueue.Add(1);
                }

                return ProcessResult.RateLimited;
            }

            now = Stopwatch.GetTimestamp();
            started = _heldSince != 0 ? _heldSince : now;
            held = _heldSince != 0;
            _heldSince = 0;
        }

        if (_freeCount == 0)
        {
            // More commands outstanding than SQ entries: the host broke SQ flow control.
            if (held)
            {
                SubmissionQueue.Add(-1);
            }

            WriteResponse(sqe.CommandId, NvmeStatus.CommandSequenceError, 0);
            return ProcessResult.NeedReceive;
        }

        if (QueueId != 0 && _controller is { } receiving)
        {
            Interlocked.Increment(ref receiving.PdusReceived);
            _connection.CountPdu();
        }

        var req = _requests[_freeTags[--_freeCount]];
        capsule.Sqe.CopyTo(req.Sqe);
        req.CommandId = sqe.CommandId;
        req.StartTimestamp = started;
        req.State = RequestState.New;
        req.DataDigestFailed = !capsule.DataDigestValid;
        _sqHead = (ushort)((_sqHead + 1) % _sqSize);
        if (!held)
        {
            SubmissionQueue.Add(1);
        }
        if (!TryPark(req, sqe, capsule.Data))
        {
            Process(req, capsule.Data, now);
        }

        return _closeAfterFlush ? ProcessResult.Close : ProcessResult.NeedReceive;
    }

    private static bool IsIoDataCommand(byte opcode) => opcode is IoOpcode.Read or IoOpcode.Write;

    /// <summary>
    /// The request state machine: drives one request as far as it can go now. <paramref name="inCapsule"/> is the
    /// in-capsule data, valid only during the call that moves the request out of <see cref="RequestState.New"/>.
    /// </summary>
    /// <param name="now">A <see cref="Stopwatch"/> timestamp the caller has just read (0: read one here), so a
    /// command costs two clock reads: one when it arrives, one when its step ends.</param>
    private void Process(NvmeRequest req, ReadOnlySpan<byte> inCapsule, long now = 0)
    {
        if (QueueId == 0 || _controller is not { } controller)
        {
            ProcessSteps(req, inCapsule);
            return;
        }

        // Per-application CPU time (flow metadata): the request state machine's share of this core. The step's end
        // is also the completion time of a command it released (Release leaves its start in _releasedStart).
        var started = now != 0 ? now : Stopwatch.GetTimestamp();
        ProcessSteps(req, inCapsule);
        var ended = Stopwatch.GetTimestamp();
        Interlocked.Add(ref controller.CpuTicks, ended - started);
        _connection.AddCpuTicks(ended - started);
        if (_releasedStart != 0)
        {
            var latency = (long)Stopwatch.GetElapsedTime(_releasedStart, ended).TotalNanoseconds;
            controller.Latency.Record(latency);
            _connection.Latency.Record(latency);
            _releasedStart = 0;
        }
    }

    private void ProcessSteps(NvmeRequest req, ReadOnlySpan<byte> inCapsule)
    {
        while (true)
        {
            _stateCounts[(int)req.State]++;
            switch (req.State)
            {
                case RequestState.New:
                    req.State = Validate(req, inCapsule);
                    break;
                case RequestState.NeedBuffer:
                    req.Buffer = _target.Buffers.Rent();
                    req.Received = 0;
                    req.State = RequestState.TransferringHostToController;
                    _sendLength += PduWriter.WriteR2T(_send.AsSpan(_sendLength), _limits, req.CommandId, req.Tag, 0,
                        (uint)req.TransferSize);
                    return;
                case RequestState.TransferringHostToController:
                    if (req.Received < req.TransferSize)
                    {
                        return;
                    }

                    req.State = req.DataDigestFailed ? RequestState.ReadyToComplete : RequestState.ReadyToExecute;
                    if (req.DataDigestFailed)
                    {
                        req.Status = NvmeStatus.TransientTransportError;
                    }

                    break;
                case RequestState.ReadyToExecute:
                    req.State = RequestState.Executing;
                    break;
                case RequestState.Executing:
                {
                    var data = req.Buffer is { } b ? b.AsSpan(0, req.TransferSize) : inCapsule;
                    req.State = Execute(req, data);
                    if (req.State == RequestState.Executing)
                    {
                        // Held (AER): the slot stays allocated until the event or teardown.
                        return;
                    }

                    break;
                }

                case RequestState.ReadyToComplete:
                    WriteResponse(req.CommandId, req.Status, req.Result);
                    req.State = RequestState.Completed;
                    break;
                case RequestState.Completed:
                    Release(req);
                    return;
                default:
                    return;
            }
        }
    }

    private void Release(NvmeRequest req)
    {
        if (req.Status.IsSuccess)
        {
            _releasedStart = req.StartTimestamp; // recorded by Process with the step's end time
        }

        if (req.Buffer is { } buffer)
        {
            _target.Buffers.Return(buffer);
        }

        req.Reset();
        _freeTags[_freeCount++] = req.Tag;
        SubmissionQueue.Add(-1);
    }

    /// <summary>Checks SGL type, direction and lengths before anything is buffered; returns the next state.</summary>
    private RequestState Validate(NvmeRequest req, ReadOnlySpan<byte> inCapsule)
    {
        var sqe = new SubmissionEntry(req.Sqe);
        var direction = sqe.Opcode == AdminOpcode.Fabrics ? sqe.FabricsType & 3 : sqe.Opcode & 3;
        req.Direction = direction;
        var sglType = sqe.SglIdentifier;
        var sglLength = sqe.SglLength;
        NvmeStatus status;
        if (direction == 3)
        {
            status = NvmeStatus.InvalidField;
        }
        else if (sglType == SubmissionEntry.SglInCapsule)
        {
            status = direction != 1 ? NvmeStatus.InvalidField
                : sqe.SglAddress != 0 ? NvmeStatus.SglOffsetInvalid
                : sglLength != (uint)inCapsule.Length ? NvmeStatus.DataSglLengthInvalid
                : NvmeStatus.Success;
        }
        else if (sglType == SubmissionEntry.SglTransport)
        {
            status = inCapsule.Length != 0 ? NvmeStatus.DataSglLengthInvalid
                : direction == 0 && sglLength != 0 ? NvmeStatus.InvalidField
                : NvmeStatus.Success;
        }
        else if (sglLength == 0 && inCapsule.Length == 0)
        {
            status = NvmeStatus.Success;
        }
        else
        {
            status = NvmeStatus.SglDescriptorTypeInvalid;
        }

        if (status.IsSuccess)
        {
            status = ValidateCommand(sqe);
        }

        if (status.IsSuccess && sglLength > (uint)_config.MaxTransferSize)
        {
            status = NvmeStatus.InvalidField;
        }

        if (!status.IsSuccess)
        {
            req.Status = status;
            return RequestState.ReadyToComplete;
        }

        req.TransferSize = direction == 0 ? 0 : (int)sglLength;
        if (req.DataDigestFailed)
        {
            req.Status = NvmeStatus.TransientTransportError;
            return RequestState.ReadyToComplete;
        }

        return direction == 1 && sglType == SubmissionEntry.SglTransport && sglLength > 0
            ? RequestState.NeedBuffer
            : RequestState.ReadyToExecute;
    }

    /// <summary>Command-level checks that must precede any data transfer (namespace, LBA range, SGL length).</summary>
    private NvmeStatus ValidateCommand(in SubmissionEntry sqe)
    {
        if (sqe.Opcode == AdminOpcode.Fabrics)
        {
            return sqe.FabricsType == FabricsType.Connect && sqe.SglLength != 1024 ? NvmeStatus.DataSglLengthInvalid : NvmeStatus.Success;
        }

        if (_controller is null)
        {
            return NvmeStatus.CommandSequenceError;
        }

        if (QueueId == 0)
        {
            return _controller.IsReady ? NvmeStatus.Success : NvmeStatus.CommandSequenceError;
        }

        return ValidateIo(sqe);
    }

    private void WriteResponse(ushort cid, NvmeStatus status, ulong result)
    {
        Span<byte> cqe = stackalloc byte[CompletionEntry.Size];
        CompletionEntry.Write(cqe, result, _sqHead, QueueId, cid, status);
        _sendLength += PduWriter.WriteCapsuleResponse(_send.AsSpan(_sendLength), _limits, cqe);
        CompletionQueue.Add(1);
    }
}
