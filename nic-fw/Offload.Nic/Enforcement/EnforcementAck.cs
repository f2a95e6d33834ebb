using Microsoft.Extensions.Logging;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;

namespace Offload.Nic.Enforcement;

/// <summary>Answers an applied update with <c>Ack { AckedSequence, Epoch }</c>; a lost session only costs the Ack (logged at Debug).</summary>
internal static partial class EnforcementAck
{
    public static async Task SendAsync(MailboxSession session, ulong sequence, ulong epoch, MessageType applied, ILogger logger)
    {
        try
        {
            await session.SendAsync(new Ack { AckedSequence = sequence, Epoch = epoch }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            LogAckFailed(logger, applied, epoch, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Applied} epoch {Epoch} applied but its Ack was not sent: {Reason}")]
    private static partial void LogAckFailed(ILogger logger, MessageType applied, ulong epoch, string reason);
}
