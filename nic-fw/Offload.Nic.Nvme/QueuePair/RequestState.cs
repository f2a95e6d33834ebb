namespace Offload.Nic.Nvme.QueuePair;

/// <summary>Life of one NVMe/TCP request, after SPDK's spdk_nvmf_tcp_req_state. Each transition is counted.</summary>
public enum RequestState
{
    Free = 0,
    New,
    NeedBuffer,
    TransferringHostToController,
    ReadyToExecute,
    Executing,
    ReadyToComplete,
    Completed,
}
