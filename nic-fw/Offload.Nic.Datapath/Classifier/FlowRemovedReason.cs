namespace Offload.Nic.Datapath.Classifier;

/// <summary>Why a flow left the table.</summary>
public enum FlowRemovedReason
{
    /// <summary>Not used for longer than its idle timeout.</summary>
    IdleTimeout = 0,
    /// <summary>Older than its hard timeout.</summary>
    HardTimeout = 1,
    /// <summary>Removed by the controller.</summary>
    Deleted = 2,
    /// <summary>Evicted (idle longest) to make room under the flow limit.</summary>
    Evicted = 3,
    /// <summary>Install refused: flow limit reached and nothing idle enough to evict.</summary>
    RejectedFlowLimit = 4,
}
