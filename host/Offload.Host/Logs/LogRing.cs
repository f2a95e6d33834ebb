using Offload.Contracts.Management;

namespace Offload.Host.Logs;

/// <summary>
/// offloadd's most recent log records, kept in memory for <c>GET /v1/logs</c> and <c>offloadctl logs</c>. A fixed
/// number of slots; the oldest record is overwritten when it is full. Thread-safe (one short lock per record).
/// </summary>
internal sealed class LogRing
{
    /// <summary>Records kept by default.</summary>
    public const int DefaultCapacity = 2048;

    private readonly LogRecordRow[] _slots;
    private readonly Lock _lock = new();
    private long _next = 1;

    public LogRing(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _slots = new LogRecordRow[capacity];
    }

    public int Capacity => _slots.Length;

    /// <summary>Sequence number the next record will get.</summary>
    public long Next
    {
        get
        {
            lock (_lock)
            {
                return _next;
            }
        }
    }

    /// <summary>Adds a record, assigning its sequence number.</summary>
    public void Add(DateTimeOffset timestamp, LogLevel level, string category, int eventId, string message, string? exception)
    {
        lock (_lock)
        {
            long sequence = _next++;
            _slots[(int)(sequence % _slots.Length)] = new LogRecordRow(sequence, timestamp, LevelText(level), category, eventId, message, exception);
        }
    }

    /// <summary>
    /// Records with sequence &gt;= <paramref name="since"/> and level &gt;= <paramref name="minimum"/>, oldest first, at most
    /// <paramref name="max"/> (the newest ones when there are more); <paramref name="dropped"/> counts records after
    /// <paramref name="since"/> that were already overwritten.
    /// </summary>
    public IReadOnlyList<LogRecordRow> Read(long since, LogLevel minimum, int max, out long next, out long dropped)
    {
        lock (_lock)
        {
            next = _next;
            long oldest = Math.Max(1, _next - _slots.Length);
            long from = Math.Max(since, oldest);
            dropped = since > 0 && since < oldest ? oldest - since : 0;
            var rows = new List<LogRecordRow>();
            for (long s = from; s < _next; s++)
            {
                var row = _slots[(int)(s % _slots.Length)];
                if (ParseLevel(row.Level) >= minimum)
                {
                    rows.Add(row);
                }
            }

            return rows.Count > max ? rows.GetRange(rows.Count - max, max) : rows;
        }
    }

    internal static string LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };

    /// <summary>Parses a level name (or its first letters: <c>warn</c>, <c>info</c>); false when unknown.</summary>
    internal static bool TryParseLevel(string? text, out LogLevel level)
    {
        level = LogLevel.Trace;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        foreach (var candidate in (ReadOnlySpan<LogLevel>)[LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical])
        {
            if (LevelText(candidate).StartsWith(text, StringComparison.OrdinalIgnoreCase) && text.Length >= 3)
            {
                level = candidate;
                return true;
            }
        }

        return false;
    }

    private static LogLevel ParseLevel(string text) => TryParseLevel(text, out var level) ? level : LogLevel.None;
}
