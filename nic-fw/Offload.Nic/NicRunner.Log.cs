using Microsoft.Extensions.Logging;

namespace Offload.Nic;

/// <summary>Log events of <see cref="NicRunner"/> (event ids 2000-2019, stable).</summary>
internal static partial class NicRunner
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "nic-fw started: board {BoardId}, firmware {FirmwareVersion}")]
    private static partial void LogStarted(ILogger logger, string boardId, string firmwareVersion);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "nic-fw stopped: board {BoardId}")]
    private static partial void LogStopped(ILogger logger, string boardId);
}
