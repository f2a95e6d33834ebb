namespace Offload.Simulation.Scenarios;

/// <summary>One acceptance goal and what was measured.</summary>
internal sealed record GoalCheck(string Goal, string Measured, bool Met);
