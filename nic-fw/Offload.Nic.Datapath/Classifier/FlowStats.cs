namespace Offload.Nic.Datapath.Classifier;

/// <summary>Snapshot of one flow's counters.</summary>
/// <param name="Packets">Packets matched.</param>
/// <param name="Bytes">Bytes matched.</param>
/// <param name="LastUsedTimestamp">TimeProvider timestamp of the last match (creation time if never used).</param>
/// <param name="TcpFlags">OR of the TCP flags seen.</param>
/// <param name="NvmeReads">NVMe/TCP read capsules seen.</param>
/// <param name="NvmeWrites">NVMe/TCP write capsules seen.</param>
/// <param name="NvmeOther">Other NVMe/TCP capsules seen.</param>
/// <param name="NvmeDataSize">Sum of the SGL data lengths of those capsules.</param>
public readonly record struct FlowStats(long Packets, long Bytes, long LastUsedTimestamp, ushort TcpFlags,
    long NvmeReads, long NvmeWrites, long NvmeOther, long NvmeDataSize);
