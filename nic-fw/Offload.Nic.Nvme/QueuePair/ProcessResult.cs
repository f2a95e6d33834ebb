namespace Offload.Nic.Nvme.QueuePair;

/// <summary>What the receive loop must do after processing buffered PDUs.</summary>
internal enum ProcessResult
{
    NeedReceive,
    NeedFlush,
    RateLimited,
    Close,
}
