using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Offload.Contracts.Mailbox;

namespace Offload.Host.Tests.Loop;

/// <summary>A NIC-side mailbox device that is never started: a reporter given it reports (so it measures flow records
/// in its sweep and counts threshold reports), and its broadcasts go to no session.</summary>
internal static class IdleMailboxDevice
{
    public static MailboxDevice Create(string directory) =>
        new(MailboxTransport.Create(MailboxEndpoint.Unix(Path.Combine(directory, "m.sock"))), new MailboxOptions(),
            new MailboxIdentity("nic", "1", []), Substitute.For<IMailboxHandler>(), NullLogger.Instance);
}
