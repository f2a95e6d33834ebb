using System.CommandLine;
using System.Globalization;
using Offload.Cli.Management;
using Offload.Cli.State;
using Offload.Contracts.Management;
using Spectre.Console;

namespace Offload.Cli.Rates;

/// <summary><c>offloadctl rates show|set|pin|unpin</c>.</summary>
internal static class RatesCommand
{
    internal const string Description = """
        Per-application rates. 'show' lists the rate each NIC enforces now; 'set' changes a tenant's SLA limit (the
        controller still adapts below it); 'pin' fixes a tenant's rate exactly (the controller no longer changes it);
        'unpin' hands it back to the controller. set/pin/unpin are persisted in the desired state.

        Examples:
          offloadctl rates show
          offloadctl rates set gold --limit 40000
          offloadctl rates pin bulk --iops 2000 --bytes-per-second 8000000
          offloadctl rates unpin bulk --json
        """;

    internal static Command Create(GlobalOptions global)
    {
        var command = new Command("rates", Description);
        var show = new Command("show", "Show every application's current rate on each NIC.\n\nExamples:\n  offloadctl rates show\n  offloadctl rates show --json");
        show.SetAction((parseResult, cancellationToken) => CommandInvocation.RunAsync(parseResult, global, ShowAsync, cancellationToken));
        command.Subcommands.Add(show);
        command.Subcommands.Add(CreateSet(global));
        command.Subcommands.Add(CreatePin(global));
        command.Subcommands.Add(CreateUnpin(global));
        return command;
    }

    private static Command CreateSet(GlobalOptions global)
    {
        var tenant = new Argument<string>("tenant") { Description = "Tenant name." };
        var limit = new Option<double>("--limit") { Description = "Maximum rate, cost units/s.", HelpName = "rate", Required = true };
        var command = new Command("set", "Set a tenant's rate limit (its SLA limit).\n\nExample:\n  offloadctl rates set gold --limit 40000") { tenant, limit };
        DesiredStateEdit.SetAction(command, global, (parseResult, state) => DesiredStateEdit.RequireTenant(state, parseResult.GetValue(tenant)!).Limit = parseResult.GetValue(limit));
        return command;
    }

    private static Command CreatePin(GlobalOptions global)
    {
        var tenant = new Argument<string>("tenant") { Description = "Tenant name." };
        var iops = new Option<long>("--iops") { Description = "IOPS limit, 1..100000000.", HelpName = "n", Required = true };
        var bytes = new Option<long>("--bytes-per-second") { Description = "Bytes/s limit (0 = none).", HelpName = "n" };
        var command = new Command("pin", "Pin a tenant's rate: the NIC enforces exactly this.\n\nExample:\n  offloadctl rates pin bulk --iops 2000") { tenant, iops, bytes };
        DesiredStateEdit.SetAction(command, global, (parseResult, state) =>
        {
            var name = DesiredStateEdit.RequireTenant(state, parseResult.GetValue(tenant)!).Name;
            state.PinnedRates.RemoveAll(p => p.Tenant == name);
            state.PinnedRates.Add(new PinnedRateSpec { Tenant = name, Iops = parseResult.GetValue(iops), BytesPerSecond = parseResult.GetValue(bytes) });
        });
        return command;
    }

    private static Command CreateUnpin(GlobalOptions global)
    {
        var tenant = new Argument<string>("tenant") { Description = "Tenant name." };
        var command = new Command("unpin", "Hand a tenant's rate back to the controller.\n\nExample:\n  offloadctl rates unpin bulk") { tenant };
        DesiredStateEdit.SetAction(command, global, (parseResult, state) =>
        {
            var name = DesiredStateEdit.RequireTenant(state, parseResult.GetValue(tenant)!).Name;
            if (state.PinnedRates.RemoveAll(p => p.Tenant == name) == 0)
            {
                throw new CommandFailedException($"tenant '{name}' has no pinned rate; see 'offloadctl tenants list'");
            }
        });
        return command;
    }

    private static async Task<int> ShowAsync(CliContext context, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var rates = await client.GetRatesAsync(cancellationToken);
        if (context.Json)
        {
            CliOutput.WriteJson(rates, context.Output);
            return ExitCodes.Ok;
        }

        var console = CliOutput.Console(context.Output);
        if (rates.Rates.Count == 0)
        {
            console.WriteLine("No rates yet: no NIC has reported an application and nothing is pinned.");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumn("NIC").AddColumn(new TableColumn("App").RightAligned()).AddColumn("Tenant")
            .AddColumn(new TableColumn("IOPS limit").RightAligned()).AddColumn(new TableColumn("Bytes/s limit").RightAligned()).AddColumn("Set by");
        foreach (var r in rates.Rates)
        {
            table.AddRow(Markup.Escape(r.Nic), "app" + r.Application.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Tenant ?? "-"),
                r.IopsLimit == 0 ? "unlimited" : r.IopsLimit.ToString(CultureInfo.InvariantCulture),
                r.BytesPerSecondLimit == 0 ? "unlimited" : r.BytesPerSecondLimit.ToString(CultureInfo.InvariantCulture),
                r.Pinned ? "pinned" : Markup.Escape(r.Rule));
        }

        console.Write(table);
        return ExitCodes.Ok;
    }
}
