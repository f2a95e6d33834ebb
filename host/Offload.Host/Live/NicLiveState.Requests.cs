using System.Collections.Concurrent;
using System.Threading.Channels;
using Offload.Contracts.Messages;

namespace Offload.Host.Live;

/// <summary>Request/reply over the NIC's session: flow dumps (52/53) and captures (54/55), correlated by id.</summary>
internal sealed partial class NicLiveState
{
    /// <summary>Capture batches buffered per capture before the NIC's batches are dropped (the reader is too slow).</summary>
    private const int CaptureBacklog = 256;

    private static int s_nextRequestId;

    private readonly ConcurrentDictionary<uint, TaskCompletionSource<FlowDumpReply>> _dumps = new();
    private readonly ConcurrentDictionary<uint, Channel<CaptureFrames>> _captures = new();

    /// <summary>
    /// Sends a <see cref="FlowDumpRequest"/> and waits for the matching reply.
    /// </summary>
    /// <exception cref="InvalidOperationException">The NIC is not connected.</exception>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    public async Task<FlowDumpReply> DumpFlowsAsync(
        ReadOnlyMemory<byte> filterMatch, ReadOnlyMemory<byte> filterMask, uint? application, uint maxCount,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var session = Session ?? throw new InvalidOperationException($"the NIC at {Endpoint} is not connected");
        uint id = NextId();
        var reply = new TaskCompletionSource<FlowDumpReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _dumps[id] = reply;
        try
        {
            await session.SendAsync(
                new FlowDumpRequest { RequestId = id, MaxCount = maxCount, FilterMatch = filterMatch, FilterMask = filterMask, Application = application },
                cancellationToken).ConfigureAwait(false);
            return await reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _dumps.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Starts a capture on the NIC and returns its id and the reader of its batches (completed after the batch marked
    /// done, or with an error when the NIC disconnects). Call <see cref="StopCaptureAsync"/> when done reading.
    /// </summary>
    public async Task<(uint Id, ChannelReader<CaptureFrames> Batches)> StartCaptureAsync(
        ushort port, uint count, uint snapLength, CancellationToken cancellationToken)
    {
        var session = Session ?? throw new InvalidOperationException($"the NIC at {Endpoint} is not connected");
        uint id = NextId();
        var channel = Channel.CreateBounded<CaptureFrames>(new BoundedChannelOptions(CaptureBacklog)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        _captures[id] = channel;
        try
        {
            await session.SendAsync(new CaptureStart { CaptureId = id, Port = port, Count = count, SnapLength = snapLength }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            _captures.TryRemove(id, out _);
            throw;
        }

        return (id, channel.Reader);
    }

    /// <summary>Stops a capture (count 0) and forgets it; harmless if it already finished or the NIC is gone.</summary>
    public async Task StopCaptureAsync(uint id)
    {
        if (_captures.TryRemove(id, out var channel))
        {
            channel.Writer.TryComplete();
            if (Session is { } session)
            {
                try
                {
                    await session.SendAsync(new CaptureStart { CaptureId = id, Count = 0 }).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
                {
                    // The NIC is going away; its capture ends with the session.
                }
            }
        }
    }

    private static uint NextId() => (uint)Interlocked.Increment(ref s_nextRequestId);

    private void OnFlowDumpReply(FlowDumpReply reply)
    {
        if (_dumps.TryRemove(reply.RequestId, out var waiter))
        {
            waiter.TrySetResult(reply);
        }
    }

    private void OnCaptureFrames(CaptureFrames frames)
    {
        if (_captures.TryGetValue(frames.CaptureId, out var channel))
        {
            channel.Writer.TryWrite(frames);
            if (frames.Done)
            {
                channel.Writer.TryComplete();
            }
        }
    }

    private void FailPending(string reason)
    {
        foreach (var (id, waiter) in _dumps)
        {
            if (_dumps.TryRemove(id, out _))
            {
                waiter.TrySetException(new InvalidOperationException(reason));
            }
        }

        foreach (var (id, channel) in _captures)
        {
            if (_captures.TryRemove(id, out _))
            {
                channel.Writer.TryComplete(new InvalidOperationException(reason));
            }
        }
    }
}
