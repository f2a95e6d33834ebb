using System.Diagnostics;
using System.Globalization;
using System.Text;
using Offload.Emulation.LoadGen;

namespace Offload.Emulation.Qos;

/// <summary>
/// Runs a scenario's tenants for real in one mode: starts nic-fw and offloadd (<see cref="QosStack"/>), connects the
/// tenants' load generators one after the other (nic-fw numbers applications in order of first connection, and the
/// desired state names tenants by that number), measures per-100 ms IOPS and latency, applies the joins and leaves,
/// then stops everything.
/// </summary>
public sealed class RealtimeRunner(QosHarnessOptions options)
{
    private static readonly TimeSpan ConnectGap = TimeSpan.FromMilliseconds(40);

    public QosHarnessOptions Options { get; } = options;

    /// <summary>Runs <paramref name="tenants"/> (those starting at 0 first, in list order) in <paramref name="mode"/>.</summary>
    public Task<RtRun> RunAsync(QosMode mode, IReadOnlyList<RtTenant> tenants, CancellationToken cancellationToken = default) =>
        RunAsync(mode, tenants, [], cancellationToken);

    /// <summary>As <see cref="RunAsync(QosMode, IReadOnlyList{RtTenant}, CancellationToken)"/>, with extra offloadd
    /// configuration (<paramref name="offloaddArguments"/>, e.g. <c>--History:Enabled=false</c>).</summary>
    public async Task<RtRun> RunAsync(QosMode mode, IReadOnlyList<RtTenant> tenants, IReadOnlyList<string> offloaddArguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        for (var i = 1; i < tenants.Count; i++)
        {
            if (tenants[i - 1].OnPeriods is [{ Start: > 0 }, ..] && tenants[i].StartsAtZero)
            {
                throw new ArgumentException("Tenants connected from the start must come before the ones that join later (application numbers follow connection order).", nameof(tenants));
            }
        }

        var seconds = Options.Seconds;
        var windows = (int)Math.Round(seconds / RtRun.WindowSeconds);
        var recorders = tenants.Select(_ => new WindowRecorder(windows, RtRun.WindowSeconds)).ToArray();
        await using var stack = await QosStack.StartAsync(Options, mode, StateJson(mode, tenants), offloaddArguments, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runs = new List<Task>();
        var originSource = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < tenants.Count && tenants[i].StartsAtZero; i++)
        {
            var generator = new LoadGenerator(GeneratorOptions(stack, mode, tenants[i], i, recorders[i]));
            var run = RunPeriodAsync(tenants[i], 0, generator, recorders[i], originSource.Task, stop.Token);
            runs.Add(run);
            await WaitConnectedAsync(tenants[i], generator, run, cancellationToken);
            await Task.Delay(ConnectGap, cancellationToken);
        }

        var origin = Stopwatch.GetTimestamp();
        foreach (var recorder in recorders)
        {
            recorder.SetOrigin(origin);
        }

        originSource.SetResult(origin);

        Progress(string.Create(CultureInfo.InvariantCulture, $"  {QosHarnessOptions.Label(mode)}: measuring {seconds:F1} s"));
        var schedules = new List<Task>();
        for (var i = 0; i < tenants.Count; i++)
        {
            schedules.Add(ScheduleAsync(stack, mode, tenants[i], i, recorders[i], originSource.Task, tenants[i].StartsAtZero, stop.Token));
        }

        string? rates = null;
        var rateSampling = mode is QosMode.Offload or QosMode.StaticLimits
            ? SampleRatesAsync(stack, tenants, origin, windows, stop.Token)
            : Task.FromResult<double[][]?>(null);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds - 0.2), cancellationToken);
            if (mode is QosMode.Offload or QosMode.StaticLimits)
            {
                rates = await TryGetAsync(stack, "v1/rates", cancellationToken);
                if (Environment.GetEnvironmentVariable("OFFLOAD_QOS_EXPLAIN") == "1")
                {
                    foreach (var t in tenants)
                    {
                        Progress($"  explain {t.Name}: {await TryGetAsync(stack, "v1/tenants/" + Uri.EscapeDataString("nqn.2026-01.io.offload:qos-" + t.Name) + "/explain?count=" + (Environment.GetEnvironmentVariable("OFFLOAD_QOS_EXPLAIN_COUNT") ?? "2"), cancellationToken)}");
                    }
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(0.25), cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(runs.Concat(schedules));
        var rateSeries = await rateSampling;
        var warmup = (int)Math.Round(Math.Min(Options.WarmupSeconds, seconds / 2) / RtRun.WindowSeconds);
        var results = new List<RtTenantResult>(tenants.Count);
        for (var i = 0; i < tenants.Count; i++)
        {
            var r = recorders[i];
            results.Add(new RtTenantResult(tenants[i].Name, r.MeanIops(warmup, windows), r.PercentileMicros(warmup, windows, 0.50),
                r.PercentileMicros(warmup, windows, 0.99), r.Errors)
            {
                IopsSeries = Enumerable.Range(0, windows).Select(r.Iops).ToArray(),
                P99Series = Enumerable.Range(0, windows).Select(w => r.PercentileMicros(w, w + 1, 0.99)).ToArray(),
                Recorder = r,
            });
        }

        return new RtRun(mode, Options.CapacityIops, seconds, warmup * RtRun.WindowSeconds, results) { RatesAtEnd = rates, RateSeries = rateSeries };
    }

    /// <summary>The desired state offloadd starts with: every tenant's SLA by application number; pinned equal limits
    /// for static limits; enforcement only for static limits and Offload.</summary>
    public string StateJson(QosMode mode, IReadOnlyList<RtTenant> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        var s = new StringBuilder();
        s.Append("{\"schema\":\"offload.state/v1\",\"revision\":0,\"tenants\":[");
        for (var i = 0; i < tenants.Count; i++)
        {
            var t = tenants[i];
            var limit = t.Limit is { } l ? l.ToString("R", CultureInfo.InvariantCulture) : "null";
            s.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : string.Empty)}{{\"name\":\"{t.Name}\",\"application\":{i + 1},\"weight\":{t.Weight.ToString("R", CultureInfo.InvariantCulture)},");
            s.Append(CultureInfo.InvariantCulture, $"\"reservation\":{t.Reservation.ToString("R", CultureInfo.InvariantCulture)},\"limit\":{limit},\"class\":\"{(t.LatencySensitive ? "latency-sensitive" : "throughput")}\"}}");
        }

        s.Append("],\"subsystems\":[],\"pinnedRates\":[");
        if (mode == QosMode.StaticLimits)
        {
            var each = Math.Max(1, Options.CapacityIops / tenants.Count);
            s.AppendJoin(',', tenants.Select(t => string.Create(CultureInfo.InvariantCulture, $"{{\"tenant\":\"{t.Name}\",\"iops\":{each},\"bytesPerSecond\":0}}")));
        }

        var enforce = mode is QosMode.StaticLimits or QosMode.Offload ? "true" : "false";
        s.Append(CultureInfo.InvariantCulture, $"],\"flowRules\":[],\"policy\":{{\"enforce\":{enforce},\"requireFlowMetadata\":true}}}}");
        return s.ToString();
    }

    private LoadGeneratorOptions GeneratorOptions(QosStack stack, QosMode mode, RtTenant tenant, int index, WindowRecorder recorder) =>
        new(stack.NvmeEndPoint, QosStack.SubsystemNqn, "nqn.2026-01.io.offload:qos-" + tenant.Name)
        {
            HostId = new Guid(index + 1, 0x0f, 0x0f, [0, 0, 0, 0, 0, 0, 0, 1]),
            QueueDepth = tenant.QueueDepth,
            QueueCount = mode == QosMode.Fifo ? Math.Min(tenant.QueueDepth, QosHarnessOptions.MaxQueuesPerTenant) : 1,
            IoSize = tenant.IoSize,
            ReadPercent = tenant.ReadPercent,
            TargetIops = tenant.PacedIops,
            Duration = TimeSpan.FromSeconds(Options.Seconds + 60),
            RangeSize = QosHarnessOptions.NamespaceBytes,
            Seed = index + 1,
            Observer = recorder,
        };

    private async Task ScheduleAsync(QosStack stack, QosMode mode, RtTenant tenant, int index, WindowRecorder recorder, Task<long> origin,
        bool skipFirst, CancellationToken stop)
    {
        var o = await origin;
        for (var p = skipFirst ? 1 : 0; p < tenant.OnPeriods.Count; p++)
        {
            var (start, _) = tenant.OnPeriods[p];
            if (!await DelayUntilAsync(o, start, stop))
            {
                return;
            }

            Progress(string.Create(CultureInfo.InvariantCulture, $"  {tenant.Name} connects at {start:F1} s"));
            await RunPeriodAsync(tenant, p, new LoadGenerator(GeneratorOptions(stack, mode, tenant, index, recorder)), recorder, origin, stop);
        }
    }

    /// <summary>Runs one on-period of <paramref name="tenant"/>; a period ending before the run does is cancelled at its end.</summary>
    private async Task RunPeriodAsync(RtTenant tenant, int periodIndex, LoadGenerator generator, WindowRecorder recorder, Task<long> origin,
        CancellationToken stop)
    {
        using var period = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task ending = Task.CompletedTask;
        if (tenant.OnPeriods.Count > periodIndex && tenant.OnPeriods[periodIndex].End < Options.Seconds)
        {
            ending = EndAtAsync(tenant, period, origin, tenant.OnPeriods[periodIndex].End, stop);
        }

        try
        {
            await generator.RunAsync(period.Token);
        }
        catch (OperationCanceledException) when (period.IsCancellationRequested)
        {
            // stopped while connecting or starting
        }

        recorder.MarkStopped(Stopwatch.GetTimestamp());
        await period.CancelAsync();
        await ending;
    }

    private async Task EndAtAsync(RtTenant tenant, CancellationTokenSource period, Task<long> origin, double end, CancellationToken stop)
    {
        try
        {
            var o = await origin.WaitAsync(period.Token);
            if (await DelayUntilAsync(o, end, period.Token))
            {
                Progress(string.Create(CultureInfo.InvariantCulture, $"  {tenant.Name} leaves at {end:F1} s"));
                await period.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // the period ended otherwise
        }
    }

    private static async Task<bool> DelayUntilAsync(long origin, double seconds, CancellationToken stop)
    {
        var wait = TimeSpan.FromSeconds(seconds) - Stopwatch.GetElapsedTime(origin);
        try
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop);
            }

            return !stop.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitConnectedAsync(RtTenant tenant, LoadGenerator generator, Task run, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (generator.Connections.Count == 0)
        {
            if (run.IsCompleted)
            {
                await run; // surfaces the connect error
                throw new InvalidOperationException($"tenant {tenant.Name} stopped before it connected.");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"tenant {tenant.Name} did not connect within 30 s.");
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>offloadd's rates in the middle of every 100 ms window from <paramref name="origin"/> until stopped (a
    /// window whose request is late is skipped): one series per tenant, by tenant name; NaN where there is no sample.</summary>
    private static async Task<double[][]?> SampleRatesAsync(QosStack stack, IReadOnlyList<RtTenant> tenants, long origin, int windows, CancellationToken cancellationToken)
    {
        var series = tenants.Select(_ => Enumerable.Repeat(double.NaN, windows).ToArray()).ToArray();
        try
        {
            for (var w = 0; w < windows; w++)
            {
                var due = TimeSpan.FromSeconds((w + 0.5) * RtRun.WindowSeconds) - Stopwatch.GetElapsedTime(origin);
                if (due < TimeSpan.Zero)
                {
                    continue; // late: this window has no sample
                }

                await Task.Delay(due, cancellationToken);
                if (await TryGetAsync(stack, "v1/rates", cancellationToken) is not { } json || !RtRates.TryParse(json, out var rates))
                {
                    continue;
                }

                for (var i = 0; i < tenants.Count; i++)
                {
                    foreach (var (tenant, iops, _) in rates)
                    {
                        if (tenant == tenants[i].Name)
                        {
                            series[i][w] = iops;
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the run ended: the windows not reached have no sample
        }

        return series;
    }

    private static async Task<string?> TryGetAsync(QosStack stack, string route, CancellationToken cancellationToken)
    {
        try
        {
            return await stack.GetAsync(route, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Progress(string line) => Options.Progress?.WriteLine(line);
}
