using System.CommandLine;
using System.Globalization;
using Offload.Cli.Management;
using Offload.Contracts.Management;

namespace Offload.Cli.Logs;

/// <summary><c>offloadctl logs</c>: offloadd's recent log records from its in-memory ring.</summary>
internal static class LogsCommand
{
    internal const string Description = """
        Show offloadd's most recent log records (it keeps the last 2048 in memory), oldest first. --level keeps
        records at or above a level; --follow keeps printing new records until Ctrl-C.

        JSON schema: offload.logs/v1 (one document; with --follow, one document per poll, one per line).

        Examples:
          offloadctl logs
          offloadctl logs --level warning
          offloadctl logs --follow --json | jq -r '.records[].message'
        """;

    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(500);

    internal static Command Create(GlobalOptions global)
    {
        var level = new Option<string?>("--level") { Description = "Minimum level: trace, debug, information, warning, error, critical.", HelpName = "level" };
        level.AcceptOnlyFromAmong("trace", "debug", "information", "info", "warning", "warn", "error", "critical");
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new records until Ctrl-C." };
        var since = new Option<long?>("--since") { Description = "Only records with this sequence number or later.", HelpName = "sequence" };
        var max = new Option<int?>("--max") { Description = "At most this many records (1 to 1000; the newest).", HelpName = "n" };
        var command = new Command("logs", Description) { level, follow, since, max };
        command.SetAction((parseResult, cancellationToken) =>
            CommandInvocation.RunAsync(parseResult, global,
                (context, token) => RunAsync(context, parseResult.GetValue(level), parseResult.GetValue(follow), parseResult.GetValue(since), parseResult.GetValue(max), token),
                cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string? level, bool follow, long? since, int? max, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var logs = await client.GetLogsAsync(Query(level, since, max), cancellationToken);
        Write(context, logs, follow);
        if (!follow)
        {
            return ExitCodes.Ok;
        }

        try
        {
            while (true)
            {
                await Task.Delay(FollowInterval, cancellationToken);
                logs = await client.GetLogsAsync(Query(level, logs.Next, null), cancellationToken);
                if (logs.Records.Count > 0 || logs.Dropped > 0)
                {
                    Write(context, logs, follow);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }

    private static string Query(string? level, long? since, int? max) =>
        new QueryString().Add("level", level).Add("since", since).Add("max", max).ToString();

    private static void Write(CliContext context, LogsDocument logs, bool follow)
    {
        if (context.Json)
        {
            if (follow)
            {
                Terminal.WriteJsonLine(logs, context.Output);
            }
            else
            {
                Terminal.WriteJson(logs, context.Output);
            }

            context.Output.Flush();
            return;
        }

        if (logs.Dropped > 0)
        {
            context.Output.WriteLine($"... {logs.Dropped.ToString(CultureInfo.InvariantCulture)} records were overwritten before they could be shown");
        }

        foreach (var r in logs.Records)
        {
            context.Output.WriteLine(FormatLine(r));
        }

        context.Output.Flush();
    }

    internal static string FormatLine(LogRecordRow r) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{r.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fff}Z {Short(r.Level)} {r.Category}[{r.EventId}] {r.Message}{(r.Exception is null ? string.Empty : " | " + r.Exception)}");

    private static string Short(string level) => level switch
    {
        "trace" => "trce",
        "debug" => "dbug",
        "information" => "info",
        "warning" => "warn",
        "error" => "fail",
        "critical" => "crit",
        _ => level,
    };
}
