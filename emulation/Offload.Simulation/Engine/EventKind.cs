namespace Offload.Simulation.Engine;

/// <summary>Kinds of discrete events.</summary>
internal enum EventKind
{
    Connect = 0,
    On = 1,
    Off = 2,
    Arrival = 3,
    ChannelDone = 4,
    HostComplete = 5,
    Tick = 6,
    Wake = 7,
}
