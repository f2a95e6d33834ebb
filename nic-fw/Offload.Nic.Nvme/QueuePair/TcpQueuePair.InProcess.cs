using Offload.Nic.Nvme.Controller;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>
/// In-process driving of the same framing + state machine without a socket, for the mutation test, every-prefix
/// tests and the per-I/O allocation benchmark. Output PDUs go to <see cref="Output"/> when set, else are dropped.
/// </summary>
internal sealed partial class TcpQueuePair
{
    /// <summary>Receives everything the queue pair would have sent.</summary>
    public Stream? Output { get; set; }

    public bool IsClosed => _closeAfterFlush || _aborted != 0;

    /// <summary>Feeds host bytes as if received; returns false once the queue pair has decided to close.</summary>
    public bool Feed(ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            if (IsClosed)
            {
                DrainOutput();
                return false;
            }

            var n = Math.Min(bytes.Length, _receive.Length - _receiveEnd);
            bytes[..n].CopyTo(_receive.AsSpan(_receiveEnd));
            _receiveEnd += n;
            bytes = bytes[n..];
            ProcessResult result;
            do
            {
                result = ProcessBuffered();
                if ((RunGranted() | DeliverAsyncEvents()) && result == ProcessResult.NeedReceive)
                {
                    result = ProcessResult.NeedFlush;
                }

                DrainOutput();
            }
            while (result == ProcessResult.NeedFlush && !_closeAfterFlush);

            if (result is ProcessResult.Close or ProcessResult.RateLimited || _closeAfterFlush)
            {
                return false;
            }

            if (bytes.IsEmpty)
            {
                return true;
            }

            if (_receiveStart == _receiveEnd)
            {
                _receiveStart = _receiveEnd = 0;
            }
        }
    }

    /// <summary>Returns the queue pair to its just-accepted state, releasing buffers and its controller link.</summary>
    public void ResetSession()
    {
        for (var i = 0; i < _requests.Length; i++)
        {
            var req = _requests[i];
            if (req.Buffer is { } buffer)
            {
                _target.Buffers.Return(buffer);
            }

            req.Reset();
            _freeTags[i] = _requests.Length - 1 - i;
        }

        _freeCount = _requests.Length;
        LeaveArbiter();
        _controller?.DetachQueue(this);
        _controller = null;
        _connection.Withdraw();
        QueueId = 0;
        _initialized = false;
        _closeAfterFlush = false;
        _aborted = 0;
        _receiveStart = _receiveEnd = 0;
        _sendLength = 0;
        _sqHead = 0;
        _sqSize = 1;
        _sqFlowControlDisabled = false;
        _limits.HeaderDigest = false;
        _limits.DataDigest = false;
        _limits.Hpda = 0;
        _limits.MaxInCapsuleDataSize = Math.Max(8192, IoInCapsuleSize);
        SubmissionQueue.Set(0);
        CompletionQueue.Set(0);
    }

    private void DrainOutput()
    {
        if (_sendLength > 0)
        {
            Output?.Write(_send, 0, _sendLength);
            _sendLength = 0;
            CompletionQueue.Set(0);
        }
    }
}
