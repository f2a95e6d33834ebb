using System.CommandLine;
using System.Globalization;
using Offload.Cli.Management;
using Offload.Cli.State;
using Offload.Contracts.Management;
using Spectre.Console;

namespace Offload.Cli.Subsystems;

/// <summary><c>offloadctl subsystems list|add|remove</c>: NVMe subsystems in the desired state.</summary>
internal static class SubsystemsCommand
{
    internal const string Description = """
        NVMe subsystems of the NICs' targets, with namespaces and host allow-lists, in offloadd's desired state.
        Changes are persisted and sent to every connected NIC (SubsystemSet / SubsystemRemove); removing a subsystem
        disconnects its hosts.

        Examples:
          offloadctl subsystems list
          offloadctl subsystems add nqn.2026-01.io.offload:vol1 --host nqn.2014-08.org.nvmexpress:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427 --namespace 1:64M
          offloadctl subsystems add nqn.2026-01.io.offload:scratch --allow-any-host --namespace 1:1G:4096 --namespace 2:8G:4096:/var/lib/offload/ns2.img
          offloadctl subsystems remove nqn.2026-01.io.offload:scratch
        """;

    internal static Command Create(GlobalOptions global)
    {
        var command = new Command("subsystems", Description);
        command.Subcommands.Add(CreateList(global));
        command.Subcommands.Add(CreateAdd(global));
        command.Subcommands.Add(CreateRemove(global));
        return command;
    }

    private static Command CreateList(GlobalOptions global)
    {
        var command = new Command("list", "List subsystems, their namespaces and allowed hosts.\n\nExamples:\n  offloadctl subsystems list\n  offloadctl subsystems list --json");
        command.SetAction((parseResult, cancellationToken) => CommandInvocation.RunAsync(parseResult, global, ListAsync, cancellationToken));
        return command;
    }

    private static Command CreateAdd(GlobalOptions global)
    {
        var nqn = new Argument<string>("nqn") { Description = "Subsystem NQN (starts with nqn.)." };
        var anyHost = new Option<bool>("--allow-any-host") { Description = "Let every host connect." };
        var hosts = new Option<string[]>("--host") { Description = "Host NQN allowed to connect (repeatable).", HelpName = "nqn", AllowMultipleArgumentsPerToken = false };
        var namespaces = new Option<string[]>("--namespace") { Description = "NSID:SIZE[:BLOCKSIZE[:PATH]] (repeatable); SIZE takes K, M, G; BLOCKSIZE 512 or 4096.", HelpName = "spec" };
        var command = new Command("add", "Add a subsystem (or replace the one with this NQN).\n\nExample:\n  offloadctl subsystems add nqn.2026-01.io.offload:vol1 --allow-any-host --namespace 1:64M") { nqn, anyHost, hosts, namespaces };
        DesiredStateEdit.SetAction(command, global, (parseResult, state) =>
        {
            var subsystem = new SubsystemSpec { Nqn = parseResult.GetValue(nqn)!, AllowAnyHost = parseResult.GetValue(anyHost) };
            subsystem.Hosts.AddRange(parseResult.GetValue(hosts) ?? []);
            foreach (var spec in parseResult.GetValue(namespaces) ?? [])
            {
                subsystem.Namespaces.Add(ParseNamespace(spec));
            }

            state.Subsystems.RemoveAll(s => s.Nqn == subsystem.Nqn);
            state.Subsystems.Add(subsystem);
        });
        return command;
    }

    private static Command CreateRemove(GlobalOptions global)
    {
        var nqn = new Argument<string>("nqn") { Description = "Subsystem NQN." };
        var command = new Command("remove", "Remove a subsystem; its hosts are disconnected.\n\nExample:\n  offloadctl subsystems remove nqn.2026-01.io.offload:vol1") { nqn };
        DesiredStateEdit.SetAction(command, global, (parseResult, state) =>
        {
            var name = parseResult.GetValue(nqn)!;
            if (state.Subsystems.RemoveAll(s => s.Nqn == name) == 0)
            {
                throw new CommandFailedException($"subsystem '{name}' not found; list subsystems with 'offloadctl subsystems list'");
            }
        });
        return command;
    }

    private static async Task<int> ListAsync(CliContext context, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var state = await client.GetStateAsync(cancellationToken);
        if (context.Json)
        {
            CliOutput.WriteJson(new SubsystemsDocument(ManagementApi.SubsystemsSchema, state.Revision, state.Subsystems), context.Output);
            return ExitCodes.Ok;
        }

        var console = CliOutput.Console(context.Output);
        if (state.Subsystems.Count == 0)
        {
            console.WriteLine("No subsystems; add one with 'offloadctl subsystems add NQN --namespace 1:64M --allow-any-host'.");
            return ExitCodes.Ok;
        }

        var table = new Table().AddColumn("Subsystem").AddColumn("Namespaces").AddColumn("Hosts");
        foreach (var s in state.Subsystems)
        {
            var ns = string.Join(", ", s.Namespaces.Select(n => string.Create(CultureInfo.InvariantCulture,
                $"{n.Nsid}: {n.Size} B/{n.BlockSize}{(string.IsNullOrEmpty(n.Path) ? "" : " " + n.Path)}")));
            var hosts = s.AllowAnyHost ? "any" : s.Hosts.Count == 0 ? "none" : string.Join(", ", s.Hosts);
            table.AddRow(Markup.Escape(s.Nqn), Markup.Escape(ns.Length == 0 ? "none" : ns), Markup.Escape(hosts));
        }

        console.Write(table);
        console.WriteLine($"revision {state.Revision.ToString(CultureInfo.InvariantCulture)}");
        return ExitCodes.Ok;
    }

    internal static NamespaceSpec ParseNamespace(string spec)
    {
        var parts = spec.Split(':', 4);
        if (parts.Length < 2 || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var nsid) || !TryParseSize(parts[1], out var size))
        {
            throw new CommandFailedException($"--namespace '{spec}' is not NSID:SIZE[:BLOCKSIZE[:PATH]]; use for example 1:64M or 2:1G:4096:/var/lib/offload/ns2.img", ExitCodes.Usage);
        }

        var blockSize = 512;
        if (parts.Length > 2 && parts[2].Length > 0 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out blockSize))
        {
            throw new CommandFailedException($"--namespace '{spec}': block size '{parts[2]}' is not a number; use 512 or 4096", ExitCodes.Usage);
        }

        return new NamespaceSpec { Nsid = nsid, Size = size, BlockSize = blockSize, Path = parts.Length > 3 && parts[3].Length > 0 ? parts[3] : null };
    }

    private static bool TryParseSize(string text, out long size)
    {
        long multiplier = 1;
        if (text.Length > 0 && char.ToUpperInvariant(text[^1]) is 'K' or 'M' or 'G' or 'T')
        {
            multiplier = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L << 40 };
            text = text[..^1];
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= long.MaxValue / multiplier)
        {
            size = value * multiplier;
            return true;
        }

        size = 0;
        return false;
    }
}
