using Offload.Simulation.Model;

namespace Offload.Simulation.Engine;

/// <summary>One scheduled event.</summary>
internal readonly record struct SimEvent(EventKind Kind, int Tenant, int Channel, SimRequest? Request);
