namespace Offload.Contracts.Management;

/// <summary>One difference between two desired states.</summary>
/// <param name="Kind"><c>tenant</c>, <c>subsystem</c>, <c>pinnedRate</c>, <c>flowRule</c> or <c>policy</c>.</param>
/// <param name="Name">The object: tenant name, subsystem NQN, pinned tenant, rule index, or <c>policy</c>.</param>
/// <param name="Action"><c>add</c>, <c>remove</c> or <c>change</c>.</param>
/// <param name="Detail">What changed, in words (for example <c>limit 1000 -> 500</c>).</param>
public sealed record StateChange(string Kind, string Name, string Action, string Detail);
