using Offload.Simulation.Results;

namespace Offload.Simulation.Scenarios;

/// <summary>The outcome of one scenario: a table, goal verdicts, the runs behind them and plots.</summary>
internal sealed class ScenarioReport
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string Setup { get; init; }

    public List<string> Table { get; } = [];

    public List<GoalCheck> Goals { get; } = [];

    public Dictionary<string, SimResult> Runs { get; } = [];

    public List<string> Notes { get; } = [];

    public List<string> Images { get; } = [];

    public void Goal(string goal, string measured, bool met) => Goals.Add(new GoalCheck(goal, measured, met));
}
