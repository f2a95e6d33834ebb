using System.Diagnostics;
using System.Globalization;
using Offload.Emulation.Qos;

namespace Offload.Emulation.Cli;

/// <summary><c>offload-emu qos</c>: the real-time QoS runs of issue 5's scenarios, written to DIR/QOS-REALTIME.md and DIR/img/rt-*.png.</summary>
internal static class QosCommand
{
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string> options, TextWriter stdout, TextWriter stderr)
    {
        if (!TryParse(options, out var numbers, out var harness, out var outDirectory, out var error))
        {
            await stderr.WriteLineAsync($"offload-emu qos: {error}");
            return 2;
        }

        var (nicFw, offloadd) = QosBinaries.Locate(options.GetValueOrDefault("--bin-config"));
        harness = harness with { NicFwPath = nicFw, OffloaddPath = offloadd, Progress = stderr };
        foreach (var path in new[] { nicFw, offloadd })
        {
            if (!File.Exists(path))
            {
                await stderr.WriteLineAsync($"offload-emu qos: {path} is missing; build nic-fw/Offload.Nic and host/Offload.Host first (dotnet build -c Release), or pass --bin-config Debug.");
                return 3;
            }
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var scenarios = new RtScenarios(new RealtimeRunner(harness));
        var reports = new List<RtScenarioReport>();
        foreach (var n in numbers)
        {
            reports.Add(await scenarios.RunAsync(n, cancel.Token));
        }

        var command = "offload-emu qos " + string.Join(' ', options.Select(kv => kv.Value == "true" ? kv.Key : $"{kv.Key} {kv.Value}"));
        var document = new RtMarkdown(harness, command.TrimEnd(), started, clock.Elapsed);
        if (outDirectory is not null)
        {
            RtPlotWriter.WriteAll(reports, Path.Combine(outDirectory, "img"), stderr);
            var path = Path.Combine(outDirectory, "QOS-REALTIME.md");
            await File.WriteAllTextAsync(path, document.Render(reports));
            await stderr.WriteLineAsync($"wrote {path}");
        }

        await stdout.WriteLineAsync(options.ContainsKey("--json") ? RtJson.Render(harness, reports, started) : RtMarkdown.Summary(reports));
        return 0;
    }

    private static bool TryParse(IReadOnlyDictionary<string, string> options, out IReadOnlyList<int> numbers, out QosHarnessOptions harness, out string? outDirectory, out string error)
    {
        harness = new QosHarnessOptions(string.Empty, string.Empty);
        numbers = RtScenarios.Available;
        outDirectory = options.GetValueOrDefault("--out");
        error = string.Empty;
        var known = new HashSet<string>(StringComparer.Ordinal) { "--scenario", "--seconds", "--capacity", "--modes", "--out", "--json", "--bin-config", "--warmup", "--repeat" };
        if (options.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            error = $"unknown option '{unknown}'; use --scenario N|all, --seconds S, --capacity IOPS, --modes fifo,rr,static,offload, --warmup S, --repeat N, --out DIR, --json, --bin-config Release|Debug.";
            return false;
        }

        if (options.TryGetValue("--scenario", out var scenario) && scenario != "all")
        {
            if (!int.TryParse(scenario, CultureInfo.InvariantCulture, out var n) || !RtScenarios.Available.Contains(n))
            {
                error = $"--scenario '{scenario}' is not one of {string.Join(", ", RtScenarios.Available)} or all (7 is scripts/perf-loop.sh).";
                return false;
            }

            numbers = [n];
        }

        if (options.TryGetValue("--seconds", out var secondsText))
        {
            if (!double.TryParse(secondsText, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 600)
            {
                error = $"--seconds '{secondsText}' must be 1 to 600 (seconds of measurement per mode).";
                return false;
            }

            harness = harness with { Seconds = seconds, WarmupSeconds = Math.Min(harness.WarmupSeconds, seconds / 3) };
        }

        if (options.TryGetValue("--warmup", out var warmupText))
        {
            if (!double.TryParse(warmupText, CultureInfo.InvariantCulture, out var warmup) || warmup < 0 || warmup >= harness.Seconds)
            {
                error = $"--warmup '{warmupText}' must be 0 or more and less than --seconds.";
                return false;
            }

            harness = harness with { WarmupSeconds = warmup };
        }

        if (options.TryGetValue("--repeat", out var repeatText))
        {
            if (!int.TryParse(repeatText, CultureInfo.InvariantCulture, out var repeat) || repeat is < 1 or > QosHarnessOptions.MaxRepeats)
            {
                error = $"--repeat '{repeatText}' must be 1 to {QosHarnessOptions.MaxRepeats} (runs of each scenario 5 configuration; the median spike is judged).";
                return false;
            }

            harness = harness with { Repeats = repeat };
        }

        if (options.TryGetValue("--capacity", out var capacityText))
        {
            if (!long.TryParse(capacityText, CultureInfo.InvariantCulture, out var capacity) || capacity is < 100 or > 10_000_000)
            {
                error = $"--capacity '{capacityText}' must be 100 to 10000000 IOPS (the target core's cap).";
                return false;
            }

            harness = harness with { CapacityIops = capacity };
        }

        if (options.TryGetValue("--modes", out var modesText))
        {
            var modes = new List<QosMode>();
            foreach (var name in modesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                QosMode? mode = name switch
                {
                    "fifo" => QosMode.Fifo,
                    "rr" => QosMode.RoundRobin,
                    "static" => QosMode.StaticLimits,
                    "offload" => QosMode.Offload,
                    _ => null,
                };
                if (mode is null)
                {
                    error = $"--modes: '{name}' is not fifo, rr, static or offload.";
                    return false;
                }

                modes.Add(mode.Value);
            }

            harness = harness with { Modes = modes };
        }

        return true;
    }
}
