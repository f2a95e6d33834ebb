namespace Offload.Emulation.Qos;

/// <summary>The result of one real-time scenario: a markdown table over the four modes, goal verdicts, the runs.</summary>
public sealed class RtScenarioReport
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string Setup { get; init; }

    /// <summary>Markdown table lines.</summary>
    public List<string> Table { get; } = [];

    public List<RtGoal> Goals { get; } = [];

    /// <summary>Why a goal is missed or how the real-time run differs from the simulation.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Runs by label (mode, or mode plus variant), in run order.</summary>
    public List<(string Label, RtRun Run)> Runs { get; } = [];

    /// <summary>Images relative to the markdown file.</summary>
    public List<string> Images { get; } = [];

    public void Goal(string goal, string measured, bool met) => Goals.Add(new RtGoal(goal, measured, met));
}
