namespace Offload.Contracts.Messages;

/// <summary>What a <see cref="FlowRecord"/> describes (key 25; absent = <see cref="Application"/>, all an older NIC
/// sent).</summary>
public enum FlowRecordKind : byte
{
    /// <summary>One application (host NQN): the sum of its connections, including ones closed during the window.</summary>
    Application = 0,

    /// <summary>One NVMe/TCP I/O connection (queue pair) of an application: a TCP 5-tuple.</summary>
    Connection = 1,
}
