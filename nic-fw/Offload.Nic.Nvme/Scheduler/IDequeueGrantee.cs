using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>The owner of one SQ as the core's arbiter sees it: whose it is, and how it is told to dequeue one more
/// command. <see cref="Grant"/> is called under the arbiter's lock from any thread and must only record and wake.</summary>
internal interface IDequeueGrantee
{
    AppId App { get; }

    void Grant();
}
