using System.CommandLine;
using System.Globalization;
using Offload.Cli.Management;
using Offload.Contracts.Management;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Offload.Cli.Watch;

/// <summary><c>offloadctl watch</c>: a live, top-like per-tenant view refreshed every second.</summary>
internal static class WatchCommand
{
    internal const string Description = """
        A live, top-like view of every tenant on every connected NIC, refreshed every second: command rate (IOPS),
        bandwidth, p99 latency, SQ and CQ occupancy (depth, time average, level), the rate the controller set and
        its state. Press q (or Ctrl-C) to quit.

        With --json, one offload.live/v1 document per refresh, one per line (JSON lines).
        With --once (or --count N, --duration S) it stops by itself, for scripts and demos.

        Examples:
          offloadctl watch
          offloadctl watch --once
          offloadctl watch --json --count 5 | jq -c '.tenants[] | {tenant, iops}'
        """;

    internal static Command Create(GlobalOptions global)
    {
        var interval = new Option<double>("--interval")
        {
            Description = "Seconds between refreshes (0.1 to 60).",
            DefaultValueFactory = static _ => 1.0,
            HelpName = "seconds",
        };
        interval.Validators.Add(static r =>
        {
            if (r.GetValueOrDefault<double>() is < 0.1 or > 60)
            {
                r.AddError("--interval must be from 0.1 to 60 seconds.");
            }
        });
        var once = new Option<bool>("--once") { Description = "Show one refresh and exit." };
        var count = new Option<int?>("--count") { Description = "Exit after this many refreshes.", HelpName = "n" };
        count.Validators.Add(static r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--count must be at least 1.");
            }
        });
        var duration = new Option<double?>("--duration") { Description = "Exit after this many seconds.", HelpName = "seconds" };
        duration.Validators.Add(static r =>
        {
            if (r.GetValueOrDefault<double?>() is <= 0)
            {
                r.AddError("--duration must be a positive number of seconds.");
            }
        });
        var command = new Command("watch", Description) { interval, once, count, duration };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var refreshes = parseResult.GetValue(once) ? 1 : parseResult.GetValue(count);
            var limit = parseResult.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var period = TimeSpan.FromSeconds(parseResult.GetValue(interval));
            return CommandInvocation.RunAsync(parseResult, global, (context, token) => RunAsync(context, period, refreshes, limit, token), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, TimeSpan period, int? refreshes, TimeSpan? limit, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit is { } l)
        {
            quit.CancelAfter(l);
        }

        // The first document is fetched outside the loop so an unreachable offloadd is an error (exit 3), not a blank screen.
        var first = await client.GetLiveAsync(cancellationToken);
        bool live = !context.Json && refreshes != 1 && Terminal.IsTerminal(context.Output) && !Console.IsInputRedirected;
        if (!live)
        {
            await PrintLoopAsync(context, client, first, period, refreshes, quit.Token);
            return ExitCodes.Ok;
        }

        var keys = Task.Run(() => WatchKeys(quit), CancellationToken.None);
        var console = Terminal.Create(context.Output, interactive: true);
        try
        {
            await console.Live(Render(first)).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async display =>
            {
                int shown = 1;
                while (refreshes is null || shown < refreshes)
                {
                    await Task.Delay(period, quit.Token);
                    display.UpdateTarget(Render(await client.GetLiveAsync(quit.Token)));
                    display.Refresh();
                    shown++;
                }
            });
        }
        catch (OperationCanceledException) when (quit.IsCancellationRequested)
        {
            // q, Ctrl-C or --duration: a normal end.
        }
        finally
        {
            await quit.CancelAsync();
        }

        await keys;
        return ExitCodes.Ok;
    }

    private static async Task PrintLoopAsync(CliContext context, ManagementClient client, LiveDocument first, TimeSpan period, int? refreshes, CancellationToken quit)
    {
        var document = first;
        int shown = 0;
        try
        {
            while (true)
            {
                if (context.Json)
                {
                    Terminal.WriteJsonLine(document, context.Output);
                }
                else
                {
                    Terminal.Create(context.Output).Write(Render(document));
                }

                await context.Output.FlushAsync(CancellationToken.None);
                shown++;
                if (refreshes is { } n && shown >= n)
                {
                    return;
                }

                await Task.Delay(period, quit);
                document = await client.GetLiveAsync(quit);
            }
        }
        catch (OperationCanceledException) when (quit.IsCancellationRequested)
        {
            // Ctrl-C or --duration: a normal end.
        }
    }

    private static void WatchKeys(CancellationTokenSource quit)
    {
        while (!quit.IsCancellationRequested)
        {
            if (!Console.KeyAvailable)
            {
                Thread.Sleep(50);
                continue;
            }

            var key = Console.ReadKey(intercept: true);
            if (key.KeyChar is 'q' or 'Q' || key.Key == ConsoleKey.Escape)
            {
                quit.Cancel();
                return;
            }
        }
    }

    /// <summary>The screen: a header line and the tenant table.</summary>
    internal static IRenderable Render(LiveDocument document)
    {
        var c = CultureInfo.InvariantCulture;
        var header = new Markup(Terminal.Escape(string.Create(c,
            $"offloadctl watch  {document.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  NICs connected: {document.NicsConnected}  tenants: {document.Tenants.Count}  (q to quit)")));
        var table = new Table()
            .AddColumn("NIC")
            .AddColumn("Tenant")
            .AddColumn(new TableColumn("IOPS").RightAligned())
            .AddColumn(new TableColumn("Rx rate").RightAligned())
            .AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn(new TableColumn("SQ depth/avg").RightAligned())
            .AddColumn("SQ")
            .AddColumn(new TableColumn("CQ depth/avg").RightAligned())
            .AddColumn("CQ")
            .AddColumn(new TableColumn("Limit").RightAligned())
            .AddColumn("State");
        foreach (var t in document.Tenants)
        {
            table.AddRow(
                Terminal.Escape(t.Nic),
                Terminal.Escape(t.Tenant),
                Terminal.Number(t.Iops, "0"),
                Terminal.Bytes(t.BytesPerSecond) + "/s",
                t.LatencyP99Us is { } p99 ? Terminal.Number(p99, "0") + " us" : "-",
                string.Create(c, $"{t.SqDepth}/{t.SqAverage:0.0}"),
                Level(t.SqLevel),
                string.Create(c, $"{t.CqDepth}/{t.CqAverage:0.0}"),
                Level(t.CqLevel),
                t.RateLimit is { } limit ? Terminal.Number(limit, "0") + "/s" : "-",
                Terminal.Escape(t.State));
        }

        if (document.Tenants.Count == 0)
        {
            table.AddRow("-", "(no tenants reporting)", string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty);
        }

        return new Rows(header, table);
    }

    private static string Level(string level) => level switch
    {
        "high" => "[red]high[/]",
        "medium" => "[yellow]medium[/]",
        _ => Terminal.Escape(level),
    };
}
