using System.Globalization;
using System.Threading.Channels;
using Offload.Contracts.Messages;
using Offload.Host.Live;

namespace Offload.Host.Management;

/// <summary>
/// <c>POST /v1/capture?port=&amp;count=&amp;snaplen=&amp;timeout=&amp;nic=</c>: starts a capture on the NIC and streams a
/// classic pcap file (chunked <c>application/vnd.tcpdump.pcap</c>) as the NIC's CaptureFrames batches arrive. The
/// stream ends after <c>count</c> frames, at the timeout, or when the client goes away; the NIC's capture is stopped in
/// every case.
/// </summary>
internal static partial class CaptureEndpoint
{
    internal const string PcapContentType = "application/vnd.tcpdump.pcap";

    /// <summary>Longest capture offloadd accepts.</summary>
    internal static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    internal static async Task<IResult> HandleAsync(HttpContext context, NicLiveRegistry live, ILoggerFactory loggers)
    {
        var query = context.Request.Query;
        var c = CultureInfo.InvariantCulture;
        if (!ushort.TryParse(query["port"], NumberStyles.None, c, out ushort port) || port is 0 or 0xFFFF)
        {
            return Errors.BadRequest($"port='{query["port"]}' is not a datapath port number; use 1..65534.");
        }

        uint count = 100;
        if (query.TryGetValue("count", out var countText) && (!uint.TryParse(countText, NumberStyles.None, c, out count) || count is 0 or > 1_000_000))
        {
            return Errors.BadRequest($"count='{countText}' must be 1 to 1000000 frames.");
        }

        uint snap = CaptureStart.MaxSnapLength;
        if (query.TryGetValue("snaplen", out var snapText) && (!uint.TryParse(snapText, NumberStyles.None, c, out snap) || snap is < 14 or > CaptureStart.MaxSnapLength))
        {
            return Errors.BadRequest($"snaplen='{snapText}' must be 14 to {CaptureStart.MaxSnapLength} bytes.");
        }

        double seconds = 60;
        if (query.TryGetValue("timeout", out var timeoutText) && (!double.TryParse(timeoutText, NumberStyles.Float, c, out seconds) || seconds <= 0 || seconds > MaxTimeout.TotalSeconds))
        {
            return Errors.BadRequest($"timeout='{timeoutText}' must be a number of seconds from 0 to {MaxTimeout.TotalSeconds:0}.");
        }

        string? nic = query["nic"];
        NicLiveState? target = null;
        foreach (var state in live.Snapshot())
        {
            if (state.Session is not null && (string.IsNullOrEmpty(nic) || string.Equals(state.BoardId, nic, StringComparison.Ordinal)))
            {
                if (target is not null)
                {
                    return Errors.BadRequest("more than one NIC is connected; name one with nic=<board id> (--nic).");
                }

                target = state;
            }
        }

        if (target is null)
        {
            return string.IsNullOrEmpty(nic)
                ? Errors.Unavailable("no NIC is connected; check 'offloadctl nics' and that nic-fw is running.")
                : Errors.NotFound($"NIC '{nic}' is not connected; 'offloadctl nics' lists the NICs.");
        }

        uint id;
        ChannelReader<CaptureFrames> batches;
        try
        {
            (id, batches) = await target.StartCaptureAsync(port, count, snap, context.RequestAborted);
        }
        catch (InvalidOperationException ex)
        {
            return Errors.Unavailable(ex.Message + "; retry when it has reconnected.");
        }

        try
        {
            var (written, dropped) = await StreamAsync(context, batches, count, snap, TimeSpan.FromSeconds(seconds));
            var logger = loggers.CreateLogger("Offload.Host.Capture");
            LogCaptureEnded(logger, id, target.BoardId ?? target.Endpoint, port, written, dropped);
            if (dropped > 0)
            {
                LogCaptureDropped(logger, id, port, dropped);
            }
        }
        finally
        {
            await target.StopCaptureAsync(id);
        }

        return Results.Empty;
    }

    private static async Task<(long Written, ulong Dropped)> StreamAsync(HttpContext context, ChannelReader<CaptureFrames> batches, uint count, uint snap, TimeSpan timeout)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = PcapContentType;
        var header = new byte[PcapFormat.RecordHeaderSize];
        var fileHeader = new byte[PcapFormat.FileHeaderSize];
        PcapFormat.WriteFileHeader(fileHeader, snap);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
        var body = response.Body;
        await body.WriteAsync(fileHeader, context.RequestAborted);
        await body.FlushAsync(context.RequestAborted);
        long written = 0;
        ulong dropped = 0;
        try
        {
            while (written < count && await batches.WaitToReadAsync(deadline.Token))
            {
                while (written < count && batches.TryRead(out var batch))
                {
                    dropped = Math.Max(dropped, batch.Dropped);
                    foreach (var frame in batch.Frames)
                    {
                        if (written == count)
                        {
                            break;
                        }

                        PcapFormat.WriteRecordHeader(header, frame.TimestampUnixNanos, frame.Data.Length, frame.OriginalLength);
                        await body.WriteAsync(header, deadline.Token);
                        await body.WriteAsync(frame.Data, deadline.Token);
                        written++;
                    }
                }

                await body.FlushAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout or client gone: the file so far is complete records; end the stream.
        }
        catch (Exception ex) when (ex is ChannelClosedException or InvalidOperationException)
        {
            // The NIC disconnected mid-capture: end the stream with what arrived.
        }

        return (written, dropped);
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Capture {CaptureId} on NIC {Nic} port {Port} ended: {Frames} frames streamed, {Dropped} dropped by the NIC")]
    private static partial void LogCaptureEnded(ILogger logger, uint captureId, string nic, ushort port, long frames, ulong dropped);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "Capture {CaptureId} on port {Port}: the NIC dropped {Dropped} mirrored frames because the host did not keep up; capture fewer frames or a quieter port")]
    private static partial void LogCaptureDropped(ILogger logger, uint captureId, ushort port, ulong dropped);
}
