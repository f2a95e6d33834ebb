namespace Offload.Host.Management;

/// <summary>Log events of <see cref="ManagementSocket"/> (event ids 1000-1019, stable).</summary>
internal sealed partial class ManagementSocket
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Management API ready on unix:{SocketPath} (mode 0660, group {SocketGroup}, tcp port {TcpPort})")]
    private static partial void LogReady(ILogger logger, string socketPath, string socketGroup, int tcpPort);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Created socket directory {Directory}")]
    private static partial void LogDirectoryCreated(ILogger logger, string directory);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Removed stale management socket {SocketPath} left by a previous offloadd")]
    private static partial void LogStaleSocketRemoved(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Removed management socket {SocketPath}")]
    private static partial void LogSocketRemoved(ILogger logger, string socketPath);
}
