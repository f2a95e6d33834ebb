namespace Offload.Contracts.Management;

/// <summary>One megaflow in <see cref="FlowsDocument"/>, in <c>ovs-dpctl dump-flows</c> style.</summary>
/// <param name="Nic">Board id of the NIC holding the flow.</param>
/// <param name="Match">Match fields under the mask, for example <c>in_port=1,eth_type=0x0800,ip_proto=6,tp_dst=4420</c>.</param>
/// <param name="Actions">Actions, for example <c>output:2</c> or <c>drop</c>.</param>
/// <param name="Priority">Flow priority.</param>
/// <param name="Packets">Packets that hit the flow.</param>
/// <param name="Bytes">Bytes that hit the flow.</param>
/// <param name="UsedMsAgo">Milliseconds since the last hit; null when never used.</param>
/// <param name="TcpFlags">TCP flags seen, for example <c>SYN|ACK</c>; empty when none.</param>
/// <param name="IdleTimeoutMs">Idle timeout in milliseconds (0: none).</param>
/// <param name="HardTimeoutMs">Hard timeout in milliseconds (0: none).</param>
public sealed record FlowRow(
    string Nic,
    string Match,
    string Actions,
    int Priority,
    long Packets,
    long Bytes,
    long? UsedMsAgo,
    string TcpFlags,
    long IdleTimeoutMs,
    long HardTimeoutMs);
