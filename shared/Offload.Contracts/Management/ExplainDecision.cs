namespace Offload.Contracts.Management;

/// <summary>One decision: its inputs, the rule that fired, the old and new rate, and the same in plain words.</summary>
/// <param name="At">When it was taken (UTC).</param>
/// <param name="Nic">The NIC's mailbox endpoint.</param>
/// <param name="ApplicationId">The tenant's application id on that NIC.</param>
/// <param name="Rule">The rule that fired (for example <c>ConsumingLower</c>, <c>Predicted</c>).</param>
/// <param name="OldRate">Rate before.</param>
/// <param name="NewRate">Rate after.</param>
/// <param name="MeasuredRate">Rate measured in the period.</param>
/// <param name="Demand">Estimated demand; null when backlogged (unbounded).</param>
/// <param name="CapacityEstimate">The node's capacity estimate.</param>
/// <param name="SqLevel">SQ occupancy level (Low, Medium, High).</param>
/// <param name="CqLevel">CQ occupancy level.</param>
/// <param name="Weight">SLA weight.</param>
/// <param name="Text">The decision in plain words.</param>
public sealed record ExplainDecision(
    DateTimeOffset At,
    string Nic,
    uint ApplicationId,
    string Rule,
    double OldRate,
    double NewRate,
    double MeasuredRate,
    double? Demand,
    double CapacityEstimate,
    string SqLevel,
    string CqLevel,
    double Weight,
    string Text);
