using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Offload.Contracts.Threading;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;

namespace Offload.Nic.Telemetry;

/// <summary>
/// The reporter's own thread: it blocks on the occupancy signal (or the poll interval), samples, and writes what is due
/// straight to the mailbox socket. A dedicated thread rather than a timer on the thread pool: a crossing is picked up
/// by one kernel wake-up, not by the next timer tick plus a pool dispatch (under load the 1 ms PeriodicTimer ticked
/// every 3-4.5 ms and a crossing waited for it).
/// </summary>
internal sealed partial class OccupancyReporter
{
    private Thread? _thread;
    private ExceptionDispatchInfo? _failure;
    private int _disposed;
    private int _appliedPriority = -1;
    private long _thresholdDelays;
    private long _coalescingRests;
    private bool _restBeforeSignal;

    /// <summary>The scheduling the reporter thread got (<see cref="TelemetryOptions.ReporterThreadPriority"/>, or
    /// less when not permitted); null until the thread has started.</summary>
    public ControlThreadPriority? ThreadPriority => Volatile.Read(ref _appliedPriority) is var p and >= 0 ? (ControlThreadPriority)p : null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "occupancy-reporter" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _signal.Wake();
        var thread = _thread;
        if (thread is not null)
        {
            await Task.Run(() => thread.Join(), cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _failure?.Throw();
    }

    public void Dispose()
    {
        // Idempotent (the container may dispose it twice). Stops the thread too when StopAsync was not called; the
        // queues may keep raising the signal afterwards (harmless).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _signal.Wake();
        _stopping.Dispose();
    }

    private void Run()
    {
        var token = _stopping.Token;
        var applied = ControlThreadScheduling.ApplyToCurrentThread(_options.ReporterThreadPriority);
        Volatile.Write(ref _appliedPriority, (int)applied);
        LogThreadPriority(_logger, applied, _options.ReporterThreadPriority);
        try
        {
            // A full sweep at least every poll interval (paced by the cost of the last full sweep) and every period; a
            // wake-up by a signal in between reads only the lines that signalled.
            long lastFull = 0;
            var poll = TimeSpan.Zero;
            bool woken = false;
            var reports = new ReportBudget(_options.ThresholdReportCpuBudget, ThresholdBurst, System.Diagnostics.Stopwatch.GetTimestamp());
            while (!token.IsCancellationRequested)
            {
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                bool full = !woken || lastFull == 0 || System.Diagnostics.Stopwatch.GetElapsedTime(lastFull, started) >= poll;
                long thresholds = _thresholdSent;
                var interval = Tick(full, token);
                if (_thresholdSent != thresholds && !PeriodDue)
                {
                    long ended = System.Diagnostics.Stopwatch.GetTimestamp();
                    reports.Spend(ended - started, ended);
                }
                // A signalled pass that ended a period swept every line too: the next poll is counted from it (else
                // a full sweep followed at once, as the poll counted from the previous one was due: at 10,000
                // connections with I/O, 109-130 sweeps a second for 100 periods).
                if (SweptAll)
                {
                    var (rest, wait) = Pace(System.Diagnostics.Stopwatch.GetElapsedTime(started), interval, _options);
                    (lastFull, poll) = (started, rest + wait);
                    if (rest > TimeSpan.Zero && token.WaitHandle.WaitOne(rest))
                    {
                        break;
                    }
                }

                if (CoalescingRest() is var coalesce && coalesce > TimeSpan.Zero)
                {
                    // One entry per application and this pass found nothing to report: let the signals gather. The
                    // rest comes right after the pass, not after the next signal's wake-up: under signals without
                    // pause that is one wake-up per pass instead of two (a wake-up cost 15-50 us of CPU in the test
                    // VM), and a signal that comes after the rest is answered at once.
                    Interlocked.Increment(ref _coalescingRests);
                    if (token.WaitHandle.WaitOne(WholeMilliseconds(coalesce)))
                    {
                        break;
                    }
                }

                // Wake for the next poll or the period's due time, whichever comes first (a poll stretched to the
                // period, counted from the pass's start, would otherwise slip the period by the pass's lateness).
                var untilPoll = poll - System.Diagnostics.Stopwatch.GetElapsedTime(lastFull);
                var untilPeriod = UntilPeriodDue();
                var until = untilPeriod < untilPoll ? untilPeriod : untilPoll;
                woken = _signal.Wait(until > TimeSpan.Zero ? WholeMilliseconds(until) : TimeSpan.Zero);

                if (woken && ThresholdDelay(ref reports) is var delay && delay > TimeSpan.Zero)
                {
                    // Over the threshold reports' budget: the signalled pass waits (the lines that signal meanwhile are
                    // read by it), but never past the period's due time.
                    Interlocked.Increment(ref _thresholdDelays);
                    if (token.WaitHandle.WaitOne(WholeMilliseconds(delay)))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Not on the thread pool: an escaping exception would end the process. Stop reporting and surface it at
            // StopAsync, as the timer loop's faulted task did.
            _failure = ExceptionDispatchInfo.Capture(ex);
        }
    }

    /// <summary>
    /// How long to rest after a pass that took <paramref name="spent"/> (signals wait; none is lost) and then how long
    /// to wait for a signal. A pass reads every queue, so its cost grows with the queues: at 10,000 connections
    /// (20,000 queues) one takes ~0.6 ms, and a 1 ms threshold poll kept 40% of a core busy (0.6 ms of every 1.6). So the poll
    /// interval stretches until polling costs at most <see cref="TelemetryOptions.PollCpuBudget"/> of a core, never
    /// beyond <see cref="TelemetryOptions.Period"/> (time-averaged levels move with a 1 s time constant, so a 10 ms check
    /// misses nothing a 1 ms one would see); and a pass of 0.5 ms or more is followed by a rest as long as itself (at most a
    /// period), so queues that signal level changes without pause get at most about half a core. With a few queues a
    /// pass takes microseconds: the 1 ms poll and the immediate reaction to a signal are unchanged.
    /// </summary>
    internal static (TimeSpan Pause, TimeSpan Wait) Pace(TimeSpan spent, TimeSpan interval, TelemetryOptions options)
    {
        double budget = Math.Clamp(options.PollCpuBudget, 0.001, 1);
        var poll = TimeSpan.FromTicks((long)(spent.Ticks * ((1 / budget) - 1)));
        poll = poll < interval ? interval : poll > options.Period ? options.Period : poll;

        // Monitor.Wait and WaitOne truncate to whole milliseconds (a 0.9 ms wait returns at once): round up. A pass
        // under half a millisecond gets no rest, so a few queues keep their immediate reaction to a signal.
        var rest = spent >= RestFrom ? WholeMilliseconds(spent < options.Period ? spent : options.Period) : TimeSpan.Zero;
        var wait = poll - rest;
        return (rest, wait > TimeSpan.Zero ? WholeMilliseconds(wait) : TimeSpan.Zero);
    }

    /// <summary><see cref="TelemetryOptions.SignalCoalescing"/> rests taken (each after a pass that found nothing to
    /// report, before the next signal is answered).</summary>
    public long CoalescingRests => Interlocked.Read(ref _coalescingRests);

    /// <summary>How long to rest before answering the next signal: <see cref="TelemetryOptions.SignalCoalescing"/> when
    /// the message carries one entry per application and the pass just done found nothing to report, never past the
    /// period's due time; else zero.</summary>
    private TimeSpan CoalescingRest()
    {
        if (!_restBeforeSignal || _options.SignalCoalescing <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var untilPeriod = UntilPeriodDue();
        return _options.SignalCoalescing < untilPeriod ? _options.SignalCoalescing : untilPeriod;
    }

    /// <summary>CPU time of threshold reports that may go back to back before <see cref="TelemetryOptions.ThresholdReportCpuBudget"/>
    /// delays them.</summary>
    private static readonly TimeSpan ThresholdBurst = TimeSpan.FromMilliseconds(5);

    /// <summary>Signalled passes that waited for the threshold reports' budget.</summary>
    public long ThresholdDelays => Interlocked.Read(ref _thresholdDelays);

    /// <summary>How long a signalled pass waits for the threshold reports' budget: zero within it, and never past the
    /// period's due time.</summary>
    private TimeSpan ThresholdDelay(ref ReportBudget reports)
    {
        var delay = reports.Delay(System.Diagnostics.Stopwatch.GetTimestamp());
        var untilPeriod = UntilPeriodDue();
        return delay < untilPeriod ? delay : untilPeriod;
    }

    /// <summary>The shortest pass followed by a rest.</summary>
    private static readonly TimeSpan RestFrom = TimeSpan.FromMilliseconds(0.5);

    private static TimeSpan WholeMilliseconds(TimeSpan value) => TimeSpan.FromMilliseconds(Math.Ceiling(value.TotalMilliseconds - 1e-9));

    /// <summary>One pass (a full sweep, or the signalled lines only): samples, sends what is due (flow metadata, when a
    /// period ended, before the occupancy report), and returns the threshold poll interval.</summary>
    private TimeSpan Tick(bool full, CancellationToken cancellationToken)
    {
        bool due = full ? Sample() : SampleChanged();
        // Only after a signalled pass: a full poll that found nothing is not followed by a rest (at 1,024 queue pairs and
        // more, polls every few milliseconds would each cost a second wake-up).
        _restBeforeSignal = _perApplication && !due && !full;

        // No live queue: nothing can cross a threshold, so wake only once a period (an idle NIC stays near 0% CPU).
        var interval = _liveQueuePairs == 0 ? _options.Period : _options.ThresholdPoll;
        if (!due || _device is null)
        {
            return interval;
        }

        if (_message.Trigger == OccupancyTrigger.Threshold)
        {
            Interlocked.Exchange(ref _lastCrossingObserved, _time.GetTimestamp());
            Interlocked.Increment(ref _thresholdSent);
        }

        // A period that ends with a crossing still carries its flow metadata (at 10,000 connections nearly every pass
        // sees a crossing somewhere: folding the period into the threshold report starved the flow metadata).
        if (PeriodDue)
        {
            Interlocked.Increment(ref _periodicSent);
            if (_flows is not null)
            {
                // Flow metadata first: the host evaluates on QueueOccupancy with the latest batch.
                Broadcast(_flows.Sample(_message.Totals), cancellationToken);
                while (_flows.TryNextPart(out var part))
                {
                    Broadcast(part, cancellationToken);
                }
            }
        }

        Broadcast(_message, cancellationToken);
        if (_message.Trigger == OccupancyTrigger.Threshold)
        {
            Interlocked.Exchange(ref _lastCrossingSent, _time.GetTimestamp());
        }

        if (PeriodDue && _summary is not null && _flows is not null
            && ++_periodsSinceSummary >= _options.NetworkSummaryEvery && _flows.Message.Flows.Count > 0)
        {
            _periodsSinceSummary = 0;
            Broadcast(_summary.Build(_flows.Message, _message), cancellationToken);
            Interlocked.Increment(ref _summariesSent);
        }

        return interval;
    }

    // A socket write normally completes synchronously; only a full send buffer blocks this (dedicated) thread.
    private void Broadcast<TMessage>(TMessage message, CancellationToken cancellationToken)
        where TMessage : IMailboxMessage
    {
        var pending = _device!.BroadcastAsync(message, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Occupancy reporter thread runs at {Applied} scheduling ({Requested} requested; RealTime and High need CAP_SYS_NICE)")]
    private static partial void LogThreadPriority(ILogger logger, ControlThreadPriority applied, ControlThreadPriority requested);
}
