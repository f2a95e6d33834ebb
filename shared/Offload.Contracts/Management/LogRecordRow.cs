namespace Offload.Contracts.Management;

/// <summary>One log record in <see cref="LogsDocument"/>.</summary>
/// <param name="Sequence">Monotonic sequence number (starts at 1 when offloadd starts).</param>
/// <param name="Timestamp">When it was logged (UTC).</param>
/// <param name="Level"><c>trace</c>, <c>debug</c>, <c>information</c>, <c>warning</c>, <c>error</c> or <c>critical</c>.</param>
/// <param name="Category">Logger category, for example <c>Offload.Host.Mailbox</c>.</param>
/// <param name="EventId">Stable event id (0 when none).</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">Exception type and message, or null.</param>
public sealed record LogRecordRow(long Sequence, DateTimeOffset Timestamp, string Level, string Category, int EventId, string Message, string? Exception);
