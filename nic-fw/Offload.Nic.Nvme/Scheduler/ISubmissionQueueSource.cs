using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>What the dequeue scheduler sees of one SQ: its owner, its depth and the size of its head command.</summary>
public interface ISubmissionQueueSource
{
    AppId App { get; }

    int Depth { get; }

    /// <summary>Data size in bytes of the command at the head (for the bytes/s bucket).</summary>
    int HeadSize { get; }

    /// <summary>Removes the head command and starts executing it.</summary>
    void Dequeue();
}
