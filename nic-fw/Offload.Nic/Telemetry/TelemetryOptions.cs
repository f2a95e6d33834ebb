using System.ComponentModel.DataAnnotations;
using Offload.Contracts.Threading;

namespace Offload.Nic.Telemetry;

/// <summary>Configuration section <c>Telemetry</c>.</summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Periodic QueueOccupancy interval (issue 5: 10 ms by default).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How often queue levels are checked for a threshold crossing between periods; a crossing is reported
    /// at once (trigger Threshold) instead of at the next period.</summary>
    [Range(typeof(TimeSpan), "00:00:00.0001", "00:00:10")]
    public TimeSpan ThresholdPoll { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Most of one core the threshold poll may use (a pass reads every queue): the poll interval stretches from
    /// <see cref="ThresholdPoll"/> towards <see cref="Period"/> as the queues grow.</summary>
    [Range(0.001, 1.0)]
    public double PollCpuBudget { get; set; } = 0.02;

    /// <summary>Most of one core threshold reports may use over time (a token bucket of CPU time holding 5 ms): while
    /// within it a crossing is reported at once; queues whose levels flap without pause (each report is a whole
    /// message: at 1,000 connections thousands a second) have their signalled reports wait until the budget is paid
    /// back. The periodic report is never delayed.</summary>
    [Range(0.001, 1.0)]
    public double ThresholdReportCpuBudget { get; set; } = 0.1;

    /// <summary>With one entry per application (more queue pairs than <see cref="QueueEntriesMax"/>), a queue's level
    /// change is reported only when it changes its application's highest level. After a pass that found nothing to
    /// report, the reporter rests this long before it answers the next signal (the lines that signal meanwhile are read
    /// by that one pass), ending at the period's due time at the latest. Queues flapping between levels under their
    /// application's highest one woke it 10,000-14,000 times a second at 10,000 connections for nothing: about 10% of a
    /// core. An application's crossing is then reported up to this much later (waits round up to whole milliseconds);
    /// 0 answers every signal at once. Listed queue pairs are never delayed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan SignalCoalescing { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Most queue pairs a QueueOccupancy message lists one by one; beyond, it carries one entry per application
    /// (sums and highest levels; every queue pair's own occupancy is still in its connection flow record). Keeps the
    /// message under its entry cap (8,192) and its cost flat at 10,000 connections.</summary>
    [Range(1, 8192)]
    public int QueueEntriesMax { get; set; } = 1024;

    /// <summary>Every how many periods a <c>NetworkSummary</c> (demand for a network controller) is broadcast; 0 = never.</summary>
    [Range(0, 100_000)]
    public int NetworkSummaryEvery { get; set; } = 10;

    /// <summary>Fraction of queue size at which a queue is Medium.</summary>
    [Range(0.0, 1.0)]
    public double MediumThreshold { get; set; } = 0.25;

    /// <summary>Fraction of queue size at which a queue is High.</summary>
    [Range(0.0, 1.0)]
    public double HighThreshold { get; set; } = 0.75;

    /// <summary>Scheduling of the reporter thread, which forwards a threshold crossing the moment a queue signals it:
    /// RealTime by default (SCHED_FIFO, as firmware on reserved Arm cores would run it), falling back to High or Normal
    /// when the process may not raise priorities (logged once at start).</summary>
    public ControlThreadPriority ReporterThreadPriority { get; set; } = ControlThreadPriority.RealTime;

    /// <summary>Most connection latency windows (p50/p99/p999 of one connection's completions) closed per period, on
    /// average. A connection's window is 10 periods (100 ms at the default period) up to 10 times this many
    /// connections; beyond, windows lengthen so that a period reads at most this many latency histograms (at 10,000
    /// connections and the default 250: 40 periods, 400 ms). Each read is a few cache misses on a histogram another
    /// core writes: with I/O on every connection of 10,000, the default's 25,000 reads a second cost about 2% of a
    /// core in the test VM. Lower it to spend less (100: 1 s windows at 10,000 connections); application records
    /// always carry each period's percentiles.</summary>
    [Range(1, 1_000_000)]
    public int ConnectionLatencyWindowsPerPeriod { get; set; } = FlowMetadataSampler.DefaultLatencyWindowsPerPeriod;

    /// <summary>Connection (5-tuple) flow records in the fixed 132-byte layout (FlowMetadataBatch key 6) rather than as
    /// MessagePack records: about 8x cheaper at 10,000 connections. Turn off only for a host too old to read key 6
    /// (it would see the application records only).</summary>
    public bool PackedConnectionRecords { get; set; } = true;
}
