using Microsoft.Extensions.Logging;

namespace Offload.Contracts.Mailbox;

public sealed partial class MailboxDevice
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Mailbox listening on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Mailbox session with host {HostId} ({Remote}) established, protocol v{Version}")]
    private static partial void LogEstablished(ILogger logger, string hostId, string remote, ushort version);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Mailbox handshake with {Remote} failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Mailbox session with host {HostId} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string hostId, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Mailbox accept failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
