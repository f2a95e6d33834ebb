using System.Globalization;
using Offload.Contracts.Management;

namespace Offload.Cli.State;

/// <summary>Prints a diff or apply answer: one line per change (<c>+</c> add, <c>-</c> remove, <c>~</c> change).</summary>
internal static class ChangeView
{
    internal static void Write(StateChangeDocument result, CliContext context, bool applied)
    {
        if (context.Json)
        {
            CliOutput.WriteJson(result, context.Output);
            return;
        }

        var revision = result.Revision.ToString(CultureInfo.InvariantCulture);
        if (result.Changes.Count == 0)
        {
            context.Output.WriteLine(applied ? $"no changes (revision {revision})" : $"no differences from revision {revision}");
            return;
        }

        foreach (var c in result.Changes)
        {
            var mark = c.Action switch { "add" => "+", "remove" => "-", _ => "~" };
            context.Output.WriteLine($"{mark} {c.Kind} {c.Name}: {c.Detail}");
        }

        context.Output.WriteLine(applied
            ? $"applied: revision {revision}, {result.Changes.Count.ToString(CultureInfo.InvariantCulture)} changes"
            : $"{result.Changes.Count.ToString(CultureInfo.InvariantCulture)} differences from revision {revision}");
    }
}
