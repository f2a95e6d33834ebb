using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Datapath.Upcall;

namespace Offload.Nic.Datapath;

/// <summary>Per-packet path: extract, EMC, classifier, miss handling.</summary>
public sealed partial class SwitchDatapath
{
    private void ProcessBurst(FrameBatch batch, int portIndex, long now)
    {
        var nvmePort = _options.NvmeTcpPort;
        var inPort = _portNumbers[portIndex];
        long bytes = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            bytes += batch.LengthRef(i);
        }

        _portRxBytes[portIndex] += bytes;

        // Hit counters are kept in locals and added once per burst (one store per burst instead of one per packet).
        long emcHits = 0, megaflowHits = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var frame = batch.Frame(i);
            var reason = FlowExtractor.Extract(frame, inPort, nvmePort, out var key, out var meta);
            if (reason != DropReason.None)
            {
                Stats.Drops.Increment(reason);
                continue;
            }

            var hash = key.Hash();
            var flow = _emc.Lookup(key, hash);
            if (flow is null)
            {
                flow = _table.Lookup(key);
                if (flow is null)
                {
                    Miss(key, hash, frame, now);
                    continue;
                }

                megaflowHits++;
                _emc.MaybeInsert(key, hash, flow);
            }
            else
            {
                emcHits++;
            }

            flow.Account(frame.Length, key.TcpFlags, meta, now);
            var actions = flow.ActionArray;
            if (actions.Length == 1 && actions[0].Type == ActionType.Output)
            {
                // The commonest flow (one output, no rewrite): the same as Execute, without its per-action dispatch.
                if (!SendTo(actions[0].Arg, frame, inPort))
                {
                    Stats.Drops.Increment(DropReason.NoRoute);
                }

                continue;
            }

            ref var start = ref batch.StartRef(i);
            ref var length = ref batch.LengthRef(i);
            Execute(flow.ActionArray, batch.Buffer, ref start, ref length, batch.SlotBase(i), in key, now);
        }

        Stats.EmcHits += emcHits;
        Stats.MegaflowHits += megaflowHits;
    }

    private void Miss(in FlowKey key, uint hash, ReadOnlySpan<byte> frame, long now)
    {
        Stats.Misses++;
        if (_held.Count > 0 && _held.ContainsKey(key, hash))
        {
            // An upcall for this exact key is outstanding: wait for the same answer.
            if (_held.TryHold(key, hash, frame, now + _upcallTimeoutTicks))
            {
                Stats.HeldPackets++;
            }
            else
            {
                Stats.Drops.Increment(DropReason.QueueFull);
            }

            return;
        }

        if (!_upcallBucket.TryTake(1, now))
        {
            Stats.UpcallsRefused++;
            Stats.Drops.Increment(DropReason.UpcallLimit);
            return;
        }

        if (!_held.TryHold(key, hash, frame, now + _upcallTimeoutTicks))
        {
            Stats.UpcallsRefused++;
            Stats.Drops.Increment(DropReason.QueueFull);
            return;
        }

        var id = new UpcallId((ulong)++_nextUpcallId);
        var head = frame.Length > _options.PacketHeadSize ? frame[.._options.PacketHeadSize] : frame;
        if (!_sink.TrySendMiss(id, key, head))
        {
            _held.DropNewest();
            Stats.UpcallsRefused++;
            Stats.Drops.Increment(DropReason.QueueFull);
            return;
        }

        Stats.HeldPackets++;
        Stats.Upcalls++;
    }

    private void RunHeld(Megaflow flow, in FlowKey key, Span<byte> frame, long now)
    {
        _heldWork.Clear();
        if (!_heldWork.TryAdd(frame))
        {
            Stats.Drops.Increment(DropReason.FrameTooLarge);
            return;
        }

        flow.Account(frame.Length, key.TcpFlags, default, now);
        Execute(flow.ActionArray, _heldWork.Buffer, ref _heldWork.StartRef(0), ref _heldWork.LengthRef(0), _heldWork.SlotBase(0), in key, now);
    }
}
