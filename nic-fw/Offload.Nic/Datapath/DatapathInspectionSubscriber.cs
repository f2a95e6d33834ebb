using System.Buffers;
using Microsoft.Extensions.Logging;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Mirror;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Mailbox;
using DpAction = Offload.Nic.Datapath.Actions.FlowAction;
using WireAction = Offload.Contracts.Messages.FlowAction;

namespace Offload.Nic.Datapath;

/// <summary>
/// Answers the host's inspection requests: <see cref="FlowDumpRequest"/> with a <see cref="FlowDumpReply"/> (the poll
/// thread copies the flows), and <see cref="CaptureStart"/> by arming the datapath's port mirror and streaming the
/// mirrored frames back as <see cref="CaptureFrames"/> batches. Called on the session's receive loop; the sending
/// happens on the thread pool so the receive loop never waits.
/// </summary>
internal sealed partial class DatapathInspectionSubscriber(NicDatapath datapath, ILogger<DatapathInspectionSubscriber> logger) : INicMailboxSubscriber
{
    /// <summary>Frames the mirror ring holds before it drops.</summary>
    internal const int RingCapacity = 4096;

    /// <summary>Bytes of frame data per CaptureFrames batch (well under the 1 MiB frame limit).</summary>
    internal const int MaxBatchSize = 256 * 1024;

    private static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(10);

    private readonly Lock _lock = new();
    private CancellationTokenSource? _capture;
    private uint _captureId;
    private long _malformed;
    private long _captureDropped;

    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Mirrored frames dropped because a capture's ring was full, over every capture so far.</summary>
    public long CaptureDropped => Interlocked.Read(ref _captureDropped);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type is not (MessageType.FlowDumpRequest or MessageType.CaptureStart))
        {
            return;
        }

        IMailboxMessage? message;
        try
        {
            message = MessageCodec.Decode(header.Type, payload, stats: session.Counters.Decode);
        }
        catch (MessagePackSerializationException)
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        switch (message)
        {
            case FlowDumpRequest request:
                _ = Task.Run(() => AnswerDumpAsync(session, request));
                break;
            case CaptureStart start:
                OnCaptureStart(session, start);
                break;
        }
    }

    public void OnClosed(MailboxSession session, string reason) => StopCapture(null);

    private async Task AnswerDumpAsync(MailboxSession session, FlowDumpRequest request)
    {
        FlowKey match = default, mask = default;
        bool valid = request.FilterMask.IsEmpty
            || (FlowKey.TryRead(request.FilterMatch.Span, out match) && FlowKey.TryRead(request.FilterMask.Span, out mask));
        ushort? application = request.Application is { } app ? (app < AppId.Capacity ? (ushort)app : ushort.MaxValue) : null;
        var reply = new FlowDumpReply { RequestId = request.RequestId };
        if (valid)
        {
            var pending = datapath.Switch.DumpFlowsAsync(match, mask, application, (int)Math.Min(request.MaxCount, FlowDumpRequest.MaxFlows));
            if (datapath.CommandQueued is { } wake)
            {
                wake();
            }
            else
            {
                datapath.Switch.ServiceDumps(); // no poll thread (no ports): nobody else touches the table
            }

            var dump = await pending.ConfigureAwait(false);
            reply = new FlowDumpReply { RequestId = request.RequestId, Matched = (uint)dump.Matched, Truncated = dump.Matched > dump.Flows.Count };
            foreach (var flow in dump.Flows)
            {
                reply.Flows.Add(ToEntry(flow));
            }
        }

        try
        {
            await session.SendAsync(reply).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            LogSendFailed(logger, "FlowDumpReply", ex.Message);
        }
    }

    private void OnCaptureStart(MailboxSession session, CaptureStart start)
    {
        if (start.Count == 0)
        {
            StopCapture(start.CaptureId);
            return;
        }

        StopCapture(null);
        var port = new PortNo(start.Port);
        var ring = new CaptureRing(RingCapacity, (int)Math.Clamp(start.SnapLength, 14, CaptureStart.MaxSnapLength));
        var stop = new CancellationTokenSource();
        lock (_lock)
        {
            _capture = stop;
            _captureId = start.CaptureId;
        }

        if (datapath.Switch.HasPort(port))
        {
            datapath.Switch.StartCapture(port, start.Count, ring);
        }

        LogCaptureStarted(logger, start.CaptureId, start.Port, start.Count);
        _ = Task.Run(() => DrainAsync(session, start.CaptureId, ring, stop.Token));
    }

    private void StopCapture(uint? id)
    {
        lock (_lock)
        {
            if (_capture is null || (id is { } which && which != _captureId))
            {
                return;
            }

            datapath.Switch.StopCapture();
            _capture.Cancel();
            _capture.Dispose();
            _capture = null;
        }
    }

    private async Task DrainAsync(MailboxSession session, uint id, CaptureRing ring, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                bool finished = !datapath.Switch.IsCapturing || stop.IsCancellationRequested;
                var batch = new CaptureFrames { CaptureId = id, Dropped = (ulong)ring.Dropped, Done = false };
                int size = 0;
                while (batch.Frames.Count < CaptureFrames.MaxFrames && size < MaxBatchSize
                    && ring.TryRead(out long nanos, out int original, out bool outbound, out byte[] data))
                {
                    batch.Frames.Add(new CapturedFrame(nanos, (uint)original, outbound, data));
                    size += data.Length;
                }

                bool done = finished && ring.Count == 0;
                if (batch.Frames.Count > 0 || done)
                {
                    await session.SendAsync(done ? WithDone(batch, ring) : batch, CancellationToken.None).ConfigureAwait(false);
                }

                if (done)
                {
                    Interlocked.Add(ref _captureDropped, ring.Dropped);
                    LogCaptureFinished(logger, id, ring.Dropped);
                    return;
                }

                if (batch.Frames.Count == 0)
                {
                    await Task.Delay(DrainInterval, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            datapath.Switch.StopCapture();
            LogSendFailed(logger, "CaptureFrames", ex.Message);
        }
    }

    private static CaptureFrames WithDone(CaptureFrames batch, CaptureRing ring)
    {
        var last = new CaptureFrames { CaptureId = batch.CaptureId, Dropped = (ulong)ring.Dropped, Done = true };
        last.Frames.AddRange(batch.Frames);
        return last;
    }

    private static FlowDumpEntry ToEntry(DumpedFlow flow)
    {
        var match = new byte[FlowKey.Size];
        var mask = new byte[FlowKey.Size];
        flow.Match.TryWrite(match);
        flow.Mask.TryWrite(mask);
        var actions = new WireAction[flow.Actions.Length];
        for (int i = 0; i < actions.Length; i++)
        {
            actions[i] = ToWire(flow.Actions[i]);
        }

        return new FlowDumpEntry
        {
            Match = match, Mask = mask, Priority = flow.Priority, Actions = actions, Packets = flow.Packets, Bytes = flow.Bytes,
            UsedMsAgo = flow.UsedMsAgo, TcpFlags = flow.TcpFlags, IdleTimeoutMs = (uint)Math.Min(flow.IdleTimeoutMs, uint.MaxValue),
            HardTimeoutMs = (uint)Math.Min(flow.HardTimeoutMs, uint.MaxValue),
        };
    }

    /// <summary>Maps a datapath action back to its wire kind (the inverse of NicDatapath.TryTranslate).</summary>
    internal static WireAction ToWire(DpAction action) => action.Type switch
    {
        ActionType.Output => new WireAction(FlowActionKind.Output, action.Arg),
        ActionType.Flood => new WireAction(FlowActionKind.Flood, 0),
        ActionType.Drop => new WireAction(FlowActionKind.Drop, action.Arg),
        ActionType.Controller => new WireAction(FlowActionKind.Controller, 0),
        ActionType.SetEthSrc => new WireAction(FlowActionKind.SetEthSource, action.Value),
        ActionType.SetEthDst => new WireAction(FlowActionKind.SetEthDestination, action.Value),
        ActionType.PushVlan => new WireAction(FlowActionKind.PushVlan, action.Arg),
        ActionType.PopVlan => new WireAction(FlowActionKind.PopVlan, 0),
        ActionType.SetDscp => new WireAction(FlowActionKind.SetDscp, action.Arg),
        ActionType.SetEcn => new WireAction(FlowActionKind.SetEcn, action.Arg),
        ActionType.Meter => new WireAction(FlowActionKind.Meter, action.Arg),
        ActionType.CongestionMark => new WireAction(FlowActionKind.CongestionMark, action.Arg),
        ActionType.RateAdvertise => new WireAction(FlowActionKind.RateAdvertise, action.Arg),
        _ => new WireAction(0, action.Arg),
    };

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information, Message = "Capture {CaptureId} started on port {Port} for {Count} frames")]
    private static partial void LogCaptureStarted(ILogger logger, uint captureId, ushort port, uint count);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Information, Message = "Capture {CaptureId} finished; {Dropped} frames dropped because the mirror ring was full")]
    private static partial void LogCaptureFinished(ILogger logger, uint captureId, long dropped);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning, Message = "{Message} not sent to the host: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string message, string reason);
}
