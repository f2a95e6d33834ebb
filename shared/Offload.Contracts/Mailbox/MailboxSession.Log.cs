using Microsoft.Extensions.Logging;
using Offload.Contracts.Messages;
using Offload.Contracts.Threading;

namespace Offload.Contracts.Mailbox;

public sealed partial class MailboxSession
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Mailbox {Remote}: bad frame ({Reason}); the connection is reset. Further bad frames of this kind are only counted.")]
    private static partial void LogBadFrame(ILogger logger, string remote, FrameStatus reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Mailbox {Remote}: connection closed in the middle of a frame ({Pending} bytes pending). Further truncations are only counted.")]
    private static partial void LogTruncated(ILogger logger, string remote, long pending);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Mailbox {Remote}: peer lost, nothing received for {SilentMs} ms")]
    private static partial void LogPeerLost(ILogger logger, string remote, long silentMs);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Mailbox {Remote}: peer reported error {Code}: {Message}")]
    private static partial void LogPeerError(ILogger logger, string remote, ErrorCode code, string message);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Mailbox {Remote}: malformed {Type} message skipped: {Reason}. Further malformed messages are only counted.")]
    private static partial void LogMalformed(ILogger logger, string remote, MessageType type, string reason);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Mailbox receive threads run at {Applied} scheduling ({Requested} requested; RealTime and High need CAP_SYS_NICE)")]
    private static partial void LogReceivePriority(ILogger logger, ControlThreadPriority applied, ControlThreadPriority requested);
}
