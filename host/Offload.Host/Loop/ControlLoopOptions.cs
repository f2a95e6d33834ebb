using System.ComponentModel.DataAnnotations;

namespace Offload.Host.Loop;

/// <summary>Configuration section <c>Controller</c>: offloadd's half of the closed loop.</summary>
internal sealed class ControlLoopOptions
{
    public const string SectionName = "Controller";

    /// <summary>Send the policy's RateUpdates to the NICs. When false the policy still runs and records decisions
    /// (a dry run: see what it would do with <c>offloadctl explain</c>) but nothing is enforced.</summary>
    public bool Enforce { get; set; } = true;

    /// <summary>Enforce only once the NIC has sent flow metadata (measured request rates). Without it the policy sees
    /// zero completions while queues are backlogged, reads that as a collapsed capacity and would throttle every
    /// application to the floor; so until the first FlowMetadataBatch the loop runs dry. Turn off only to exercise the
    /// mailbox path (tests, latency measurement).</summary>
    public bool RequireFlowMetadata { get; set; } = true;

    /// <summary>Starting capacity estimate in cost units/s (a 4 KiB read = 1) until measurements refine it.</summary>
    [Range(1.0, 1e12)]
    public double InitialCapacity { get; set; } = 100_000;

    /// <summary>Most I/O queues the policy grants one application (at its next connect, through Set Features Number of Queues).</summary>
    [Range(1, 1024)]
    public int MaxIoQueues { get; set; } = 16;

    /// <summary>SQ window average (mean depth since the NIC's previous periodic report) at or above which an application
    /// held at its own rate counts as backlogged (<c>ControllerOptions.BackloggedSqWindowAverage</c>); a large value
    /// turns the rule off.</summary>
    [Range(0.01, 1e9)]
    public double BackloggedSqWindowAverage { get; set; } = 0.9;

    /// <summary>Evaluate the policy on every threshold report (true), or only on those that matter at once (false,
    /// default): congestion beginning or ending (the set of queues at High, or the node's high state, differs from the
    /// last evaluated report's) or an application appearing or going. The others (a queue moving between Low and
    /// Medium, or another flap while the same queues stay at High) are folded into the next periodic report, which
    /// carries the same levels. With small queues (a host at queue depth 1 on a 2-entry SQ is Medium with one command in it)
    /// levels flap thousands of times a second, and offloadd spent ~60% of a core evaluating each flap and nic-fw
    /// more applying and acknowledging the updates.</summary>
    public bool EvaluateEveryThreshold { get; set; }

    /// <summary>Decisions kept per application for explain.</summary>
    [Range(1, 100_000)]
    public int DecisionsPerApp { get; set; } = 128;
}
