namespace Offload.Nic.Nvme.Controller;

/// <summary>What a controller knows about one of its queue pairs: enough to tear it down. Keeps the controller free
/// of any concrete transport.</summary>
public interface IQueuePairLink
{
    ushort QueueId { get; }

    /// <summary>Tears the queue pair down (closes its connection); safe to call from any thread, idempotent.</summary>
    void Abort();

    /// <summary>The controller has Asynchronous Event Request completions ready
    /// (<see cref="NvmeController.TryTakeAsyncEventCompletion"/>): wake the queue's own thread to send them. Any thread.</summary>
    void NotifyAsyncEvent();
}
