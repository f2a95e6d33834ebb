using System.ComponentModel.DataAnnotations;

namespace Offload.Host.History;

/// <summary>Configuration section <c>History</c>: the per-tenant demand history (SQLite) the policy predicts from.</summary>
internal sealed class HistoryOptions
{
    public const string SectionName = "History";

    /// <summary>Default database file.</summary>
    public const string DefaultPath = "/var/lib/offload/history.db";

    /// <summary>Keep history and predict returning load. When false nothing is stored and nothing is predicted.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>SQLite database file; its directory is created if missing (systemd's StateDirectory=offload).</summary>
    [Required]
    public string Path { get; set; } = DefaultPath;

    /// <summary>How long per-minute rollups are kept before compaction folds them into hourly rollups.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan MinuteRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long hourly rollups are kept before they are deleted.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "36500.00:00:00")]
    public TimeSpan HourRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often retention and compaction run.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromHours(1);
}
