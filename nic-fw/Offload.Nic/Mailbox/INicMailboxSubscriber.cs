using Offload.Contracts.Mailbox;

namespace Offload.Nic.Mailbox;

/// <summary>A feature's handler for host-to-NIC messages; <see cref="NicMailboxHandler"/> forwards every callback to
/// each registered subscriber, in registration order, on the session's receive loop (keep the work short).</summary>
internal interface INicMailboxSubscriber : IMailboxHandler;
