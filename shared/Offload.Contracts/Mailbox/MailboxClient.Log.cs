using Microsoft.Extensions.Logging;

namespace Offload.Contracts.Mailbox;

public sealed partial class MailboxClient
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Mailbox connected to NIC {BoardId} (firmware {Firmware}) at {Endpoint}, protocol v{Version}")]
    private static partial void LogEstablished(ILogger logger, string boardId, string firmware, string endpoint, ushort version);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Mailbox handshake with {Endpoint} failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Mailbox session with NIC {BoardId} ended: {Reason}; reconnecting")]
    private static partial void LogClosed(ILogger logger, string boardId, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Mailbox cannot reach {Endpoint}: {Reason} (attempt {Attempt}); retrying with backoff")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, string reason, int attempt);
}
