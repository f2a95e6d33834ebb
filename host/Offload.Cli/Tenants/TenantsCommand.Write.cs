using System.CommandLine;
using Offload.Cli.State;
using Offload.Contracts.Management;

namespace Offload.Cli.Tenants;

/// <summary><c>tenants add</c>, <c>tenants remove</c>, <c>tenants set-sla</c>.</summary>
internal static partial class TenantsCommand
{
    private static Command CreateAdd(GlobalOptions global)
    {
        var name = NameArgument();
        var app = new Option<uint>("--app") { Description = "The NIC's application number of this tenant (app1 is 1).", HelpName = "n", Required = true };
        var sla = new SlaOptions();
        var command = new Command("add", "Add a tenant with an SLA.\n\nExamples:\n  offloadctl tenants add gold --app 1 --weight 4 --reservation 20000\n  offloadctl tenants add bulk --app 2 --limit 5000 --json") { name, app };
        sla.AddTo(command);
        DesiredStateEdit.SetAction(command, global, (parseResult, state) =>
        {
            var tenantName = parseResult.GetValue(name)!;
            if (state.Tenants.Exists(t => t.Name == tenantName))
            {
                throw new CommandFailedException($"tenant '{tenantName}' already exists; change it with 'offloadctl tenants set-sla {tenantName} ...'");
            }

            var tenant = new TenantSpec { Name = tenantName, Application = parseResult.GetValue(app) };
            sla.ApplyTo(parseResult, tenant);
            state.Tenants.Add(tenant);
        });
        return command;
    }

    private static Command CreateRemove(GlobalOptions global)
    {
        var name = NameArgument();
        var command = new Command("remove", "Remove a tenant (and its pinned rate); its application returns to the default SLA.\n\nExample:\n  offloadctl tenants remove gold") { name };
        DesiredStateEdit.SetAction(command, global, (parseResult, state) =>
        {
            var tenant = DesiredStateEdit.RequireTenant(state, parseResult.GetValue(name)!);
            state.Tenants.Remove(tenant);
            state.PinnedRates.RemoveAll(p => p.Tenant == tenant.Name);
        });
        return command;
    }

    private static Command CreateSetSla(GlobalOptions global)
    {
        var name = NameArgument();
        var sla = new SlaOptions();
        var command = new Command("set-sla", "Change a tenant's SLA; options not given keep their value.\n\nExamples:\n  offloadctl tenants set-sla gold --limit 50000 --weight 2\n  offloadctl tenants set-sla gold --no-limit --class throughput") { name };
        sla.AddTo(command);
        DesiredStateEdit.SetAction(command, global, (parseResult, state) => sla.ApplyTo(parseResult, DesiredStateEdit.RequireTenant(state, parseResult.GetValue(name)!)));
        return command;
    }
}
