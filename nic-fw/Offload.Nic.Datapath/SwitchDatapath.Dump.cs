using System.Collections.Concurrent;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath;

/// <summary>
/// Flow dumps for <c>offloadctl flows</c>: a request is queued and answered by the poll thread between bursts (the
/// flow table belongs to it), with a copy of each matching megaflow and its counters.
/// </summary>
public sealed partial class SwitchDatapath
{
    private readonly ConcurrentQueue<FlowDumpJob> _dumps = new();

    /// <summary>
    /// Queues a dump of the flows whose match, under <paramref name="filterMask"/>, equals <paramref name="filterMatch"/>
    /// and (when <paramref name="application"/> is set) whose actions name that application. Thread-safe; the poll
    /// thread completes the task. <paramref name="max"/> bounds the answer.
    /// </summary>
    public Task<FlowDump> DumpFlowsAsync(in FlowKey filterMatch, in FlowKey filterMask, ushort? application, int max)
    {
        var job = new FlowDumpJob(filterMatch.And(filterMask), filterMask, application, max);
        _dumps.Enqueue(job);
        return job.Completion.Task;
    }

    /// <summary>Answers queued dumps now; for a datapath nobody polls (no ports), call from the owning thread.</summary>
    public void ServiceDumps()
    {
        while (_dumps.TryDequeue(out var job))
        {
            var flows = new List<DumpedFlow>();
            int matched = 0;
            foreach (var flow in _table.Flows)
            {
                if (!flow.IsAlive || flow.MatchKey.And(job.Mask) != job.Match || !Names(flow, job.Application))
                {
                    continue;
                }

                matched++;
                if (flows.Count < job.Max)
                {
                    var stats = flow.Stats;
                    long usedMs = stats.Packets == 0 ? -1 : (long)((_now - stats.LastUsedTimestamp) * 1000.0 / _frequency);
                    flows.Add(new DumpedFlow(flow.MatchKey, flow.MaskKey, flow.Priority, flow.Actions.ToArray(), stats.Packets, stats.Bytes,
                        Math.Max(-1, usedMs), stats.TcpFlags, TicksToMs(flow.IdleTimeoutTicks), TicksToMs(flow.HardTimeoutTicks)));
                }
            }

            job.Completion.TrySetResult(new FlowDump(flows, matched));
        }
    }

    private long TicksToMs(long ticks) => ticks <= 0 ? 0 : (long)(ticks * 1000.0 / _frequency);

    private static bool Names(Megaflow flow, ushort? application)
    {
        if (application is not { } app)
        {
            return true;
        }

        foreach (var action in flow.Actions)
        {
            if (action.Type is ActionType.CongestionMark or ActionType.RateAdvertise && action.Arg == app)
            {
                return true;
            }
        }

        return false;
    }

    private sealed class FlowDumpJob(FlowKey match, FlowKey mask, ushort? application, int max)
    {
        public FlowKey Match { get; } = match;

        public FlowKey Mask { get; } = mask;

        public ushort? Application { get; } = application;

        public int Max { get; } = max;

        public TaskCompletionSource<FlowDump> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
