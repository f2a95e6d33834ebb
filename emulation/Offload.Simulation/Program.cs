using System.Globalization;
using Offload.Simulation.Model;
using Offload.Simulation.Output;
using Offload.Simulation.Scenarios;

namespace Offload.Simulation;

/// <summary>offload-sim: runs the QoS scenarios in virtual time and writes docs/QOS.md and docs/img/.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        string docs = "docs";
        int seed = 1;
        bool plots = true;
        string? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--docs" when i + 1 < args.Length: docs = args[++i]; break;
                case "--seed" when i + 1 < args.Length: seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-plots": plots = false; break;
                case "--only" when i + 1 < args.Length: only = args[++i]; break;
                default:
                    Console.Error.WriteLine("usage: offload-sim [--docs DIR] [--seed N] [--no-plots] [--only sN]  (--only: print one scenario, write nothing)");
                    return 2;
            }
        }

        var scenarios = new QosScenarios(new DeviceModel(), seed);
        if (only is not null)
        {
            foreach (var report in scenarios.RunAll(only))
            {
                Print(report);
            }

            return 0;
        }

        var reports = scenarios.RunAll();
        var otherSeeds = new Dictionary<int, IReadOnlyList<ScenarioReport>>();
        foreach (int other in new[] { seed + 1, seed + 2 })
        {
            otherSeeds[other] = new QosScenarios(new DeviceModel(), other).RunAll();
        }
        foreach (var report in reports)
        {
            Print(report);
        }

        if (plots)
        {
            PlotWriter.WriteAll(reports, Path.Combine(docs, "img"));
        }

        QosMarkdown.Write(reports, otherSeeds, scenarios.Device, seed, Path.Combine(docs, "QOS.md"));
        Console.WriteLine($"wrote {Path.Combine(docs, "QOS.md")}");
        return 0;
    }

    private static void Print(ScenarioReport report)
    {
        Console.WriteLine($"== {report.Title}");
        foreach (string line in report.Table)
        {
            Console.WriteLine(line);
        }

        foreach (var goal in report.Goals)
        {
            Console.WriteLine($"  [{(goal.Met ? "met" : "NOT MET")}] {goal.Goal}: {goal.Measured}");
        }

        foreach (string note in report.Notes)
        {
            Console.WriteLine($"  note: {note}");
        }
    }
}
