using System.CommandLine;
using Offload.Contracts.Management;

namespace Offload.Cli.Tenants;

/// <summary><c>offloadctl tenants list|show|add|remove|set-sla</c>: tenants and their SLAs in the desired state.</summary>
internal static partial class TenantsCommand
{
    internal const string Description = """
        Tenants and their SLAs (reservation, limit, weight, class) in offloadd's desired state. Rates are in cost
        units per second (one 4 KiB read = 1). A tenant is the NIC's application number (--app; app1 is 1).
        Changes are persisted and re-applied to every NIC; a concurrent change makes them fail with exit code 4.

        Examples:
          offloadctl tenants list
          offloadctl tenants add gold --app 1 --weight 4 --reservation 20000 --class latency-sensitive
          offloadctl tenants set-sla gold --limit 50000
          offloadctl tenants show gold --json
          offloadctl tenants remove gold
        """;

    internal static Command Create(GlobalOptions global)
    {
        var command = new Command("tenants", Description);
        command.Subcommands.Add(CreateList(global));
        command.Subcommands.Add(CreateShow(global));
        command.Subcommands.Add(CreateAdd(global));
        command.Subcommands.Add(CreateRemove(global));
        command.Subcommands.Add(CreateSetSla(global));
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "Tenant name." };

    private sealed class SlaOptions
    {
        public Option<double?> Weight { get; } = new("--weight") { Description = "Share weight, > 0 (default 1).", HelpName = "w" };

        public Option<double?> Reservation { get; } = new("--reservation") { Description = "Guaranteed rate, cost units/s (default 0).", HelpName = "rate" };

        public Option<double?> Limit { get; } = new("--limit") { Description = "Maximum rate, cost units/s.", HelpName = "rate" };

        public Option<bool> NoLimit { get; } = new("--no-limit") { Description = "Remove the maximum rate." };

        public Option<string?> Class { get; } = CreateClass();

        public void AddTo(Command command)
        {
            command.Options.Add(Weight);
            command.Options.Add(Reservation);
            command.Options.Add(Limit);
            command.Options.Add(NoLimit);
            command.Options.Add(Class);
        }

        public void ApplyTo(ParseResult parseResult, TenantSpec tenant)
        {
            if (parseResult.GetValue(Weight) is { } weight)
            {
                tenant.Weight = weight;
            }

            if (parseResult.GetValue(Reservation) is { } reservation)
            {
                tenant.Reservation = reservation;
            }

            if (parseResult.GetValue(Limit) is { } limit)
            {
                tenant.Limit = limit;
            }

            if (parseResult.GetValue(NoLimit))
            {
                tenant.Limit = null;
            }

            if (parseResult.GetValue(Class) is { } cls)
            {
                tenant.Class = cls;
            }
        }

        private static Option<string?> CreateClass()
        {
            var option = new Option<string?>("--class") { Description = "throughput or latency-sensitive.", HelpName = "class" };
            option.AcceptOnlyFromAmong(TenantClasses.Throughput, TenantClasses.LatencySensitive);
            return option;
        }
    }
}
