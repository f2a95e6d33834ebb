using Offload.Simulation.Engine;
using Offload.Simulation.Model;

namespace Offload.Simulation;

internal static class Program
{
    private static int Main(string[] args)
    {
        var tenants = new List<TenantSpec>
        {
            new("qd1", new(1), ArrivalKind.ClosedLoop, 1),
            new("qd4", new(2), ArrivalKind.ClosedLoop, 4),
            new("qd16", new(3), ArrivalKind.ClosedLoop, 16),
            new("qd64", new(4), ArrivalKind.ClosedLoop, 64),
        };
        foreach (var kind in Enum.GetValues<SchedulerKind>())
        {
            using var sim = new DiscreteEventSimulator(new SimulationConfig(kind, new DeviceModel(), tenants, 2.0));
            var r = sim.Run();
            Console.Write($"{kind,-16} util {r.Utilization:F3} ");
            var x = new double[tenants.Count];
            for (int i = 0; i < tenants.Count; i++)
            {
                x[i] = r.MeanIops(i);
                Console.Write($"{tenants[i].Name}={x[i]:F0} p99={r.P99Micros(i):F0}us ");
            }

            Console.WriteLine($"jain={Results.Stats.Jain(x):F3}");
        }

        return args.Length;
    }
}
