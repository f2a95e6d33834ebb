using System.Net.Sockets;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>
/// One NVMe/TCP connection = one queue pair (SQ+CQ). A single receive loop owns all of its state: it frames PDUs
/// (header checked before buffering), runs each request through <see cref="Process"/>, and batches responses into
/// a send buffer flushed before the next receive. Buffers and request slots are allocated once per connection.
/// Other threads may only call <see cref="Abort"/>.
/// </summary>
internal sealed partial class TcpQueuePair : IQueuePairLink
{
    private const int SendSlack = 512;

    private readonly Socket? _socket;
    private readonly NvmeTcpTarget _target;
    private readonly TargetConfig _config;
    private readonly PduLimits _limits = new();
    private readonly byte[] _receive;
    private readonly byte[] _send;
    private readonly byte[] _scratch = new byte[PduLimits.MaxTermReqSize + 64];
    private readonly NvmeRequest[] _requests;
    private readonly int[] _freeTags;
    private readonly long[] _stateCounts = new long[Enum.GetValues<RequestState>().Length];
    private int _freeCount;
    private int _receiveStart;
    private int _receiveEnd;
    private int _sendLength;
    private bool _initialized;
    private bool _closeAfterFlush;
    private int _aborted;
    private NvmeController? _controller;
    private ushort _sqSize = 1;
    private ushort _sqHead;
    private bool _sqFlowControlDisabled;
    private TimeSpan _rateLimitDelay;

    // Stopwatch timestamp a capsule was first held back by its rate limit (0: none waiting).
    private long _heldSince;

    // Start timestamp of the command the current Process step released (0: none), for its latency.
    private long _releasedStart;
    private bool _receivePending;
    private int _receiveCompleted;
    private ValueTask<int> _pendingReceive;
    private readonly Action _onReceiveCompleted;
    private readonly QueuePairSignal _signal = new();
    private int _asyncEventsReady;

    public TcpQueuePair(Socket? socket, NvmeTcpTarget target)
    {
        _socket = socket;
        _target = target;
        _config = target.Config;
        _limits.MaxH2CDataSize = _config.MaxH2CDataSize;
        _limits.MaxInCapsuleDataSize = Math.Max(8192, IoInCapsuleSize);
        _limits.HeaderDigest = true;
        _limits.DataDigest = true;
        _limits.Cpda = 0;
        _limits.Hpda = 31;
        _receive = GC.AllocateUninitializedArray<byte>(_limits.ReceiveBufferSize, pinned: true);
        _limits.HeaderDigest = false;
        _limits.DataDigest = false;
        _limits.Hpda = 0;
        // Room for one maximum transfer beyond a full batch: the loop flushes only when less than one MDTS-sized
        // response fits, so small reads batch (about 32 4 KiB C2HData per send at 128 KiB MDTS) and large ones pair up.
        _send = GC.AllocateUninitializedArray<byte>(SendBufferSize(_config), pinned: true);
        var count = _config.MaxQueueEntries + NvmeController.AsyncEventRequestLimit;
        _requests = new NvmeRequest[count];
        _freeTags = new int[count];
        for (var i = 0; i < count; i++)
        {
            _requests[i] = new NvmeRequest((ushort)i);
            _freeTags[i] = count - 1 - i;
        }

        _freeCount = count;
        _sqRing = new int[count];
        _onReceiveCompleted = OnReceiveCompleted;
        _connection = new ConnectionCounters(target.Telemetry);
        SubmissionQueue = new QueueOccupancy(target.Time, _connection.Cell, completion: false, 1);
        CompletionQueue = new QueueOccupancy(target.Time, _connection.Cell, completion: true, 1);
    }

    public ushort QueueId { get; private set; }

    private static int SendBufferSize(TargetConfig config) => (2 * config.MaxTransferSize) + (128 * 2) + SendSlack + 8192;

    /// <summary>What one spill can hold: the send buffer, a full zero-copy batch plus one more read, and a spill that
    /// grew by settles before the batch-full check stopped processing (<see cref="ZeroCopyBatchFull"/>).</summary>
    internal static int SpillBufferSize(TargetConfig config) => SendBufferSize(config) + (8 * config.MaxTransferSize);

    public NvmeController? Controller => _controller;

    public QueueOccupancy SubmissionQueue { get; }

    public QueueOccupancy CompletionQueue { get; }

    public ReadOnlySpan<long> StateCounts => _stateCounts;

    private int IoInCapsuleSize => Math.Max(0, (_config.Ioccsz * 16) - 64);

    /// <summary>Rewinds an empty receive buffer; false when it is full, which waits for arbiter grants. The buffer holds
    /// at least one maximum PDU, so a full buffer always frames a PDU: not reachable unless a bug stalls framing.
    /// Only grants could make progress; without parked commands close (counted as unexpected) rather than hang.</summary>
    private bool HasReceiveRoom()
    {
        if (_receiveStart == _receiveEnd)
        {
            _receiveStart = _receiveEnd = 0;
        }

        if (_receiveEnd < _receive.Length)
        {
            return true;
        }

        return _sqWaiting == 0
            ? throw new InvalidOperationException("Receive buffer full with no PDU framed and nothing parked.")
            : false;
    }

    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        if (_socket is null)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        if (_pollGroup is { } group)
        {
            // The group's thread owns the descriptor: it leaves the epoll set first, then closes it.
            group.Wake(this);
            return;
        }

        _socket.Dispose();
    }

    /// <summary>The controller has AER completions ready: wake the admin queue's loop to send them.</summary>
    public void NotifyAsyncEvent()
    {
        Volatile.Write(ref _asyncEventsReady, 1);
        Signal();
    }

    /// <summary>Frames and handles every complete PDU in the receive buffer.</summary>
    private ProcessResult ProcessBuffered()
    {
        var burst = 0;
        while (!_closeAfterFlush)
        {
            if (_send.Length - _sendLength < _config.MaxTransferSize + 256 + SendSlack || ++burst > 32 || ZeroCopyBatchFull)
            {
                return ProcessResult.NeedFlush;
            }

            var available = _receive.AsSpan(_receiveStart, _receiveEnd - _receiveStart);
            if (!PduHeader.TryRead(available, out var header))
            {
                Compact();
                return ProcessResult.NeedReceive;
            }

            var error = PduHeaderCheck.Validate(header, _initialized, _limits);
            if (error.IsError)
            {
                Terminate(error, available[..Math.Min(available.Length, (int)Math.Min(header.HeaderLength, (byte)128))]);
                return ProcessResult.Close;
            }

            var plen = (int)header.PduLength;
            if (available.Length < plen)
            {
                Compact();
                return ProcessResult.NeedReceive;
            }

            var pdu = available[..plen];
            var outcome = HandlePdu(header, pdu);
            if (outcome == ProcessResult.RateLimited)
            {
                return outcome;
            }

            _receiveStart += plen;
            if (outcome == ProcessResult.Close)
            {
                return outcome;
            }
        }

        return ProcessResult.Close;
    }

    private void Compact()
    {
        if (_receiveStart == 0 || _receivePending)
        {
            return;
        }

        var remaining = _receiveEnd - _receiveStart;
        if (remaining > 0)
        {
            Buffer.BlockCopy(_receive, _receiveStart, _receive, 0, remaining);
        }

        _receiveStart = 0;
        _receiveEnd = remaining;
    }

    private ProcessResult HandlePdu(in PduHeader header, ReadOnlySpan<byte> pdu)
    {
        switch (header.Type)
        {
            case PduType.ICReq:
                return HandleIcReq(pdu);
            case PduType.CapsuleCommand:
                return HandleCapsule(pdu);
            case PduType.H2CData:
                return HandleH2CData(pdu);
            case PduType.H2CTermReq:
                _target.CountHostTermination();
                return ProcessResult.Close;
            default:
                Terminate(PduError.InvalidField(0), pdu[..Math.Min(pdu.Length, 128)]);
                return ProcessResult.Close;
        }
    }

    private ProcessResult HandleIcReq(ReadOnlySpan<byte> pdu)
    {
        var error = IcReqPdu.TryParse(pdu, out var icreq);
        if (error.IsError)
        {
            Terminate(error, pdu[..Math.Min(pdu.Length, 128)]);
            return ProcessResult.Close;
        }

        _limits.Hpda = icreq.Hpda;
        _limits.HeaderDigest = icreq.HeaderDigest && _config.AllowHeaderDigest;
        _limits.DataDigest = icreq.DataDigest && _config.AllowDataDigest;
        _initialized = true;
        _sendLength += PduWriter.WriteIcResp(_send.AsSpan(_sendLength), _limits);
        return ProcessResult.NeedReceive;
    }

    /// <summary>The single place a fatal transport error becomes a C2HTermReq (FES+FEI) and a close.</summary>
    private void Terminate(PduError error, ReadOnlySpan<byte> offendingHeader)
    {
        _target.CountFatal(error.Status);
        _sendLength += TermReqPdu.WriteC2H(_send.AsSpan(_sendLength), error, offendingHeader);
        _closeAfterFlush = true;
    }

    private void Cleanup()
    {
        Abort();
        ReleaseSegments();
        ReturnSpill();
        for (var i = 0; i < _requests.Length; i++)
        {
            var req = _requests[i];
            if (req.Buffer is { } buffer)
            {
                _target.Buffers.Return(buffer);
                req.Buffer = null;
            }

            req.Reset();
        }

        LeaveArbiter();
        SubmissionQueue.Set(0);
        CompletionQueue.Set(0);
        _controller?.DetachQueue(this);
        _target.Unregister(this);
        _connection.Release();
    }
}
