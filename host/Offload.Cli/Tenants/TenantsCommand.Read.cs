using System.CommandLine;
using System.Globalization;
using Offload.Cli.Management;
using Offload.Cli.State;
using Offload.Contracts.Management;
using Spectre.Console;

namespace Offload.Cli.Tenants;

/// <summary><c>tenants list</c> and <c>tenants show</c>.</summary>
internal static partial class TenantsCommand
{
    private static Command CreateList(GlobalOptions global)
    {
        var command = new Command("list", "List tenants with their SLAs and pinned rates.\n\nExamples:\n  offloadctl tenants list\n  offloadctl tenants list --json");
        command.SetAction((parseResult, cancellationToken) =>
            CommandInvocation.RunAsync(parseResult, global, ListAsync, cancellationToken));
        return command;
    }

    private static Command CreateShow(GlobalOptions global)
    {
        var name = NameArgument();
        var command = new Command("show", "Show one tenant: SLA, pinned rate, and its current rate on each NIC.\n\nExamples:\n  offloadctl tenants show gold\n  offloadctl tenants show gold --json") { name };
        command.SetAction((parseResult, cancellationToken) =>
            CommandInvocation.RunAsync(parseResult, global, (context, token) => ShowAsync(context, parseResult.GetValue(name)!, token), cancellationToken));
        return command;
    }

    private static async Task<int> ListAsync(CliContext context, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var state = await client.GetStateAsync(cancellationToken);
        if (context.Json)
        {
            CliOutput.WriteJson(new TenantsDocument(ManagementApi.TenantsSchema, state.Revision, state.Tenants, state.PinnedRates), context.Output);
            return ExitCodes.Ok;
        }

        var console = CliOutput.Console(context.Output);
        if (state.Tenants.Count == 0)
        {
            console.WriteLine($"No tenants (revision {state.Revision.ToString(CultureInfo.InvariantCulture)}); add one with 'offloadctl tenants add NAME --app N'.");
            return ExitCodes.Ok;
        }

        var table = new Table()
            .AddColumn("Tenant").AddColumn(new TableColumn("App").RightAligned()).AddColumn(new TableColumn("Weight").RightAligned())
            .AddColumn(new TableColumn("Reservation").RightAligned()).AddColumn(new TableColumn("Limit").RightAligned())
            .AddColumn("Class").AddColumn("Pinned");
        foreach (var t in state.Tenants)
        {
            var pin = state.PinnedRates.Find(p => p.Tenant == t.Name);
            table.AddRow(
                Markup.Escape(t.Name), "app" + t.Application.ToString(CultureInfo.InvariantCulture), Number(t.Weight), Number(t.Reservation),
                t.Limit is { } l ? Number(l) : "none", t.Class, pin is null ? "-" : Pin(pin));
        }

        console.Write(table);
        console.WriteLine($"revision {state.Revision.ToString(CultureInfo.InvariantCulture)}");
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(CliContext context, string name, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var state = await client.GetStateAsync(cancellationToken);
        var tenant = DesiredStateEdit.RequireTenant(state, name);
        var pin = state.PinnedRates.Find(p => p.Tenant == name);
        var rates = (await client.GetRatesAsync(cancellationToken)).Rates.Where(r => r.Application == tenant.Application).ToList();
        if (context.Json)
        {
            CliOutput.WriteJson(new TenantDocument(ManagementApi.TenantSchema, state.Revision, tenant, pin, rates), context.Output);
            return ExitCodes.Ok;
        }

        var o = context.Output;
        o.WriteLine($"tenant {tenant.Name} (app{tenant.Application.ToString(CultureInfo.InvariantCulture)}), revision {state.Revision.ToString(CultureInfo.InvariantCulture)}");
        o.WriteLine($"  weight {Number(tenant.Weight)}, reservation {Number(tenant.Reservation)}, limit {(tenant.Limit is { } l ? Number(l) : "none")}, class {tenant.Class}");
        o.WriteLine($"  pinned: {(pin is null ? "no" : Pin(pin))}");
        if (rates.Count == 0)
        {
            o.WriteLine("  rates: none yet (no NIC has reported this application)");
        }

        foreach (var r in rates)
        {
            o.WriteLine($"  rate on {r.Nic}: {r.IopsLimit.ToString(CultureInfo.InvariantCulture)} IOPS, {r.BytesPerSecondLimit.ToString(CultureInfo.InvariantCulture)} bytes/s ({r.Rule})");
        }

        return ExitCodes.Ok;
    }

    internal static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    internal static string Pin(PinnedRateSpec pin) => pin.BytesPerSecond == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{pin.Iops} IOPS")
        : string.Create(CultureInfo.InvariantCulture, $"{pin.Iops} IOPS, {pin.BytesPerSecond} B/s");
}
