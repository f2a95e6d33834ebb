using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>Cumulative I/O counters of one controller (the SMART / Health log's host commands and data units).</summary>
public readonly record struct ApplicationCounters(
    AppId App,
    ControllerId Controller,
    long ReadCommands,
    long WriteCommands,
    long BytesRead,
    long BytesWritten,
    LatencyHistogram? Latency = null,
    long CpuNanoseconds = 0,
    long Pdus = 0);
