namespace Offload.Nic.Nvme.Subsystem;

/// <summary>An application (tenant) identity: host NQN plus host ID from the Connect data.</summary>
public readonly record struct AppId(string HostNqn, Guid HostId);
