namespace Offload.Contracts.Management;

/// <summary>One NIC's datapath counters in <see cref="DatapathDocument"/>.</summary>
/// <param name="BoardId">The NIC's board id.</param>
/// <param name="SampledAt">When the NIC took the sample (its clock, UTC).</param>
/// <param name="ReceivedAt">When offloadd received it (UTC).</param>
/// <param name="PeriodMs">The NIC's reporting period in milliseconds.</param>
/// <param name="Ports">Per-port counters, in the NIC's port order.</param>
/// <param name="Drops">Drops per reason code (non-zero only); malformed-frame codes share the reason <c>malformed</c>.</param>
/// <param name="DropTotals">Drops summed per reason name (<c>malformed</c>, <c>no_route</c>, <c>upcall_limit</c>, ...).</param>
/// <param name="Upcalls">Upcall counters.</param>
/// <param name="Flows">Flow table counters.</param>
/// <param name="Lookups">Where packets were matched.</param>
/// <param name="Signals">In-packet signals the datapath stamped (ECN CE marks, rate advertisements).</param>
public sealed record DatapathNicDocument(
    string BoardId,
    DateTimeOffset SampledAt,
    DateTimeOffset ReceivedAt,
    uint PeriodMs,
    IReadOnlyList<DatapathPortDocument> Ports,
    IReadOnlyList<DatapathDropDocument> Drops,
    IReadOnlyDictionary<string, ulong> DropTotals,
    DatapathUpcallDocument Upcalls,
    DatapathFlowDocument Flows,
    DatapathLookupDocument Lookups,
    DatapathSignalDocument Signals);
