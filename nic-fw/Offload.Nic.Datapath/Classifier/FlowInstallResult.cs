namespace Offload.Nic.Datapath.Classifier;

/// <summary>Outcome of installing a megaflow.</summary>
public enum FlowInstallResult
{
    /// <summary>New flow added.</summary>
    Installed = 0,
    /// <summary>A flow with the same match and mask existed; its actions, priority and timeouts were replaced, stats kept.</summary>
    Replaced = 1,
    /// <summary>Flow limit reached and no flow was idle long enough to evict.</summary>
    RejectedFlowLimit = 2,
}
