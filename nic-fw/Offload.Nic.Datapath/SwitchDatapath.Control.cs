using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Upcall;

namespace Offload.Nic.Datapath;

/// <summary>Control API: the seam the integrator wires to FlowInstall / FlowRemove on the mailbox.</summary>
public sealed partial class SwitchDatapath
{
    /// <summary>
    /// Installs (or replaces, same match+mask) a megaflow. Thread-safe; applied by the poll thread, which then
    /// runs the actions on every held packet the flow matches. If the flow limit refuses it, the sink gets
    /// <see cref="IUpcallSink.OnFlowRemoved"/> with <see cref="FlowRemovedReason.RejectedFlowLimit"/> and those
    /// held packets are dropped as <see cref="DropReason.FlowLimit"/>.
    /// </summary>
    /// <returns>The id the flow will have.</returns>
    public FlowId InstallFlow(in FlowKey match, in FlowKey mask, int priority, ReadOnlySpan<FlowAction> actions,
        TimeSpan idleTimeout, TimeSpan hardTimeout)
    {
        var id = new FlowId((ulong)Interlocked.Increment(ref _nextFlowId));
        _commands.Enqueue(new ControlCommand
        {
            Kind = ControlCommandKind.InstallFlow,
            Id = id,
            Match = match,
            Mask = mask,
            Priority = priority,
            Actions = actions.ToArray(),
            IdleTicks = ToTicks(idleTimeout),
            HardTicks = ToTicks(hardTimeout),
        });
        return id;
    }

    /// <summary>Removes a flow by id (thread-safe, applied by the poll thread).</summary>
    public void RemoveFlow(FlowId id) =>
        _commands.Enqueue(new ControlCommand { Kind = ControlCommandKind.RemoveFlowById, Id = id });

    /// <summary>Removes the flow with exactly this match and mask (thread-safe).</summary>
    public void RemoveFlow(in FlowKey match, in FlowKey mask) =>
        _commands.Enqueue(new ControlCommand { Kind = ControlCommandKind.RemoveFlowByMatch, Match = match, Mask = mask });

    /// <summary>Creates or replaces a meter (thread-safe).</summary>
    public void SetMeter(MeterId id, MeterConfig config)
    {
        if (id.Value >= MeterTable.Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id.Value, $"Meter ids are 0..{MeterTable.Capacity - 1}.");
        }

        _commands.Enqueue(new ControlCommand { Kind = ControlCommandKind.SetMeter, Meter = id, MeterConfig = config });
    }

    /// <summary>Flags an application congested (CongestionMark actions then mark CE on its ECT packets). Thread-safe.</summary>
    public void SetApplicationCongested(AppId application, bool congested) =>
        Volatile.Write(ref _congested[CheckApplication(application)], congested);

    /// <summary>Sets the rate (memory requests per second) RateAdvertise actions carry for an application; 0 stops it. Thread-safe.</summary>
    public void SetAdvertisedRate(AppId application, uint requestsPerSecond) =>
        Volatile.Write(ref _advertisedRate[CheckApplication(application)], requestsPerSecond);

    private static int CheckApplication(AppId application) => application.Value < AppId.Capacity
        ? application.Value
        : throw new ArgumentOutOfRangeException(nameof(application), application.Value, $"Application ids are 0..{AppId.Capacity - 1}.");

    private void ApplyCommands(long now)
    {
        while (_commands.TryDequeue(out var command))
        {
            switch (command.Kind)
            {
                case ControlCommandKind.InstallFlow:
                    ApplyInstall(command, now);
                    break;
                case ControlCommandKind.RemoveFlowById:
                    if (_table.Get(command.Id) is { } byId)
                    {
                        _table.Remove(byId, FlowRemovedReason.Deleted);
                    }

                    break;
                case ControlCommandKind.RemoveFlowByMatch:
                    if (_table.Classifier.Find(command.Match, command.Mask) is { } byMatch)
                    {
                        _table.Remove(byMatch, FlowRemovedReason.Deleted);
                    }

                    break;
                case ControlCommandKind.SetMeter:
                    _meters.Set(command.Meter, command.MeterConfig, _frequency, now);
                    break;
                case ControlCommandKind.RemoveMeter:
                    _meters.Remove(command.Meter);
                    break;
            }
        }
    }

    private void ApplyInstall(ControlCommand command, long now)
    {
        var result = _table.Install(command.Id, command.Match, command.Mask, command.Priority, command.Actions,
            command.IdleTicks, command.HardTicks, now, out var flow);
        var maskedMatch = command.Match.And(command.Mask);
        if (result == FlowInstallResult.RejectedFlowLimit || flow is null)
        {
            Stats.FlowsRejected++;
            _sink.OnFlowRemoved(command.Id, maskedMatch, command.Mask, FlowRemovedReason.RejectedFlowLimit, default);
            var dropper = new HeldDropper(this);
            _held.Release(maskedMatch, command.Mask, ref dropper);
            return;
        }

        if (result == FlowInstallResult.Installed)
        {
            Stats.FlowsInstalled++;
        }

        if (_held.Count > 0)
        {
            var runner = new HeldRunner(this, flow, now);
            _held.Release(maskedMatch, command.Mask, ref runner);
            FlushAll();
        }
    }

    private readonly struct HeldDropper(SwitchDatapath datapath) : IHeldPacketVisitor
    {
        public void Visit(in FlowKey key, Span<byte> frame) => datapath.Stats.Drops.Increment(DropReason.FlowLimit);
    }

    private readonly struct HeldRunner(SwitchDatapath datapath, Megaflow flow, long now) : IHeldPacketVisitor
    {
        public void Visit(in FlowKey key, Span<byte> frame) => datapath.RunHeld(flow, key, frame, now);
    }
}
