namespace Offload.Emulation.Qos;

/// <summary>One acceptance goal of a scenario, what the real-time run measured and whether it was met.</summary>
public sealed record RtGoal(string Goal, string Measured, bool Met);
