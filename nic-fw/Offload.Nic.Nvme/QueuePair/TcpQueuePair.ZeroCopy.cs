using System.Runtime.InteropServices;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Namespace;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Transport;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>
/// Zero-copy reads on the poll group: a Read of at least <c>TargetConfig.ZeroCopyReadMinSize</c> bytes puts only its
/// C2HData header (and data digest) in the send buffer and sends the data straight from the namespace's shared memory
/// with one <c>sendmsg</c> per batch (an iovec per piece). Its logical blocks are pinned (<see cref="StripeLocks"/>)
/// from the moment the data digest is computed until the kernel has copied the bytes, so what is sent is one
/// consistent image per block and the digest covers exactly the bytes sent. Pins never outlive a poll step: a send the
/// socket only partly takes copies the rest into a private spill buffer and unpins at once, and this connection copies
/// its pending data the same way before it executes any Write, Write Zeroes or Deallocate (so it never waits for its
/// own pins). Other writers wait at most one poll step.
/// </summary>
internal sealed partial class TcpQueuePair
{
    /// <summary>Zero-copy reads per send batch (two iovecs each: header, data).</summary>
    internal const int MaxSendSegments = 64;

    private readonly SendSegment[] _segments = new SendSegment[MaxSendSegments];
    private int _segmentCount;
    private long _segmentBytes;
    private byte[]? _spill;
    private int _spillLength;
    private int _spillOffset;
    private long _spilledBytes;

    /// <summary>Bytes this connection copied into its spill buffer (partial sends, writes behind zero-copy reads).</summary>
    internal long SpilledBytes => _spilledBytes;

    /// <summary>Zero-copy segments waiting to be sent (tests: pins outstanding).</summary>
    internal int PendingSegments => _segmentCount;

    private bool HasPendingOutput => _sendLength > 0 || _spillLength > 0;

    /// <summary>True when the batch should be sent before more PDUs are processed (segment table or spill full).</summary>
    private bool ZeroCopyBatchFull =>
        _segmentCount >= MaxSendSegments - 1 || _segmentBytes >= 4L * _config.MaxTransferSize ||
        _spillLength >= 2 * _config.MaxTransferSize;

    /// <summary>Sends a successful Read's data from the namespace itself; false when this read must be copied instead
    /// (not on a poll group, below the threshold, no room in the segment table, or a store without stable memory).</summary>
    private bool TryExecuteZeroCopyRead(NvmeRequest req, in SubmissionEntry sqe, int length, out RequestState next)
    {
        next = default;
        var min = _config.ZeroCopyReadMinSize;
        if (_pollGroup is null || min <= 0 || length < min || _segmentCount >= MaxSendSegments ||
            !_controller!.Subsystem.TryGetNamespace(sqe.Nsid, out var ns) || ns.Store is not IZeroCopyNamespaceStore store)
        {
            return false;
        }

        var offset = (long)(sqe.Qword(10) << ns.BlockSizeShift);
        var success = _sqFlowControlDisabled;
        var pdo = PduWriter.WriteC2HDataHeader(_send.AsSpan(_sendLength), _limits, req.CommandId, 0, length, last: true, success);
        _sendLength += pdo;
        var address = store.Pin(offset, length);
        _segments[_segmentCount++] = new SendSegment(_sendLength, address, length, store, offset);
        _segmentBytes += length;
        if (_limits.DataDigest)
        {
            unsafe
            {
                Crc32C.Write(new ReadOnlySpan<byte>((void*)address, length), _send.AsSpan(_sendLength, PduHeader.DigestSize));
            }

            _sendLength += PduHeader.DigestSize;
        }

        var controller = _controller;
        Interlocked.Increment(ref controller.HostReadCommands);
        Interlocked.Add(ref controller.DataUnitsRead, length >> 9);
        _connection.CountRead(length);
        _pollGroup.CountZeroCopyRead();
        req.Status = NvmeStatus.Success;
        req.Result = 0;
        if (success)
        {
            CompletionQueue.Add(1);
            next = RequestState.Completed;
        }
        else
        {
            next = RequestState.ReadyToComplete;
        }

        return true;
    }

    /// <summary>Before this connection writes to any namespace: copy its pending zero-copy data into the spill buffer
    /// and unpin, so the write never waits for pins this same thread holds.</summary>
    private void SettleZeroCopy()
    {
        if (_segmentCount > 0)
        {
            Spill(0);
        }
    }

    /// <summary>Sends the spill buffer, then the batch (send buffer + segments) with one sendmsg; whatever the socket
    /// does not take is spilled, so no pin survives the call. False when the socket is full or failed.</summary>
    private bool TrySendGathered(out bool failed)
    {
        failed = false;
        while (true)
        {
            if (_spillLength > 0 && !TrySendFlat(_spill!, ref _spillOffset, _spillLength, out failed))
            {
                return false;
            }

            ReturnSpill();
            if (_segmentCount == 0)
            {
                return true;
            }

            var total = _sendLength + _segmentBytes;
            var done = SendSegments(out var wouldBlock, out failed);
            if (failed)
            {
                return false;
            }

            if (done == total)
            {
                ReleaseSegments();
                _sendLength = 0;
                return true;
            }

            Spill(done);
            if (wouldBlock)
            {
                _pollGroup?.CountDeferredSend();
                return false;
            }
        }
    }

    /// <summary>One sendmsg of the send buffer with the segments spliced in; returns the bytes the socket took.</summary>
    private unsafe long SendSegments(out bool wouldBlock, out bool failed)
    {
        wouldBlock = false;
        failed = false;
        var iov = stackalloc Iovec[(2 * MaxSendSegments) + 1];
        var count = 0;
        fixed (byte* send = _send)
        {
            var position = 0;
            for (var i = 0; i < _segmentCount; i++)
            {
                ref readonly var segment = ref _segments[i];
                if (segment.Position > position)
                {
                    iov[count++] = new Iovec { Base = (nint)(send + position), Length = (nuint)(segment.Position - position) };
                    position = segment.Position;
                }

                iov[count++] = new Iovec { Base = segment.Address, Length = (nuint)segment.Size };
            }

            if (_sendLength > position)
            {
                iov[count++] = new Iovec { Base = (nint)(send + position), Length = (nuint)(_sendLength - position) };
            }

            var message = new MessageHeader { Iov = iov, IovLength = (nuint)count };
            while (true)
            {
                var sent = SendNative.SendMessage((int)_socket!.Handle, &message, SendNative.DontWaitNoSignal);
                if (sent >= 0)
                {
                    return sent;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == SendNative.Interrupted)
                {
                    continue;
                }

                wouldBlock = errno == SendNative.WouldBlock;
                failed = !wouldBlock;
                return 0;
            }
        }
    }

    /// <summary>Copies the batch from byte <paramref name="skip"/> on (send buffer with the segments spliced in) to the
    /// end of the spill buffer, then unpins the segments and empties the send buffer.</summary>
    private unsafe void Spill(long skip)
    {
        var remaining = (int)(_sendLength + _segmentBytes - skip);
        EnsureSpill(_spillLength + remaining);
        var position = 0;
        for (var i = 0; i < _segmentCount; i++)
        {
            ref readonly var segment = ref _segments[i];
            CopyToSpill(_send.AsSpan(position, segment.Position - position), ref skip);
            CopyToSpill(new ReadOnlySpan<byte>((void*)segment.Address, segment.Size), ref skip);
            position = segment.Position;
        }

        CopyToSpill(_send.AsSpan(position, _sendLength - position), ref skip);
        _spilledBytes += remaining;
        _pollGroup?.CountSpilled(remaining);
        ReleaseSegments();
        _sendLength = 0;
    }

    private void CopyToSpill(ReadOnlySpan<byte> piece, ref long skip)
    {
        if (skip >= piece.Length)
        {
            skip -= piece.Length;
            return;
        }

        piece = piece[(int)skip..];
        skip = 0;
        piece.CopyTo(_spill.AsSpan(_spillLength));
        _spillLength += piece.Length;
    }

    /// <summary>Rents the spill buffer from the target's pool (no allocation in steady state); grows it only if a spill
    /// ever exceeded <see cref="SpillBufferSize"/> (not expected: the batch-full check bounds it).</summary>
    private void EnsureSpill(int size)
    {
        _spill ??= _target.SpillBuffers.Rent();
        if (_spill.Length >= size)
        {
            return;
        }

        // The grown array replaces the rented one and is what ReturnSpill gives back (Outstanding stays balanced).
        var grown = GC.AllocateUninitializedArray<byte>(size);
        _spill.AsSpan(0, _spillLength).CopyTo(grown);
        _spill = grown;
    }

    /// <summary>Empties the spill and gives its buffer back (sent, or the connection is closing).</summary>
    private void ReturnSpill()
    {
        _spillOffset = _spillLength = 0;
        if (_spill is { } spill)
        {
            _spill = null;
            _target.SpillBuffers.Return(spill);
        }
    }

    /// <summary>Unpins every pending segment (after a send, a spill, or on teardown).</summary>
    private void ReleaseSegments()
    {
        for (var i = 0; i < _segmentCount; i++)
        {
            ref readonly var segment = ref _segments[i];
            segment.Store.Unpin(segment.Offset, segment.Size);
            _segments[i] = default;
        }

        _segmentCount = 0;
        _segmentBytes = 0;
    }
}
