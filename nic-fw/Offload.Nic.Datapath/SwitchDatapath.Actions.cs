using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Datapath.TxQueue;

namespace Offload.Nic.Datapath;

/// <summary>Action execution: outputs are copied into per-port transmit batches, rewrites happen in place.</summary>
public sealed partial class SwitchDatapath
{
    private void Execute(FlowAction[] actions, byte[] buffer, ref int start, ref int length, int floor, in FlowKey key, long now)
    {
        var delivered = false;
        for (var a = 0; a < actions.Length; a++)
        {
            var action = actions[a];
            switch (action.Type)
            {
                case ActionType.Output:
                    delivered |= SendTo(action.Arg, buffer.AsSpan(start, length), key.InPort);
                    break;
                case ActionType.Flood:
                    for (var p = 0; p < _portCount; p++)
                    {
                        if (_portNumbers[p] != key.InPort)
                        {
                            SendToIndex(p, buffer.AsSpan(start, length), key.InPort);
                        }
                    }

                    delivered = true;
                    break;
                case ActionType.Drop:
                    Stats.Drops.Increment(action.Arg is > 0 and < DropReasons.Count ? (DropReason)action.Arg : DropReason.NoRoute);
                    return;
                case ActionType.Controller:
                    Stats.ControllerPackets++;
                    if (!_sink.TrySendPacket(key, buffer.AsSpan(start, length), action.Arg))
                    {
                        Stats.Drops.Increment(DropReason.QueueFull);
                    }

                    delivered = true;
                    break;
                case ActionType.SetEthSrc:
                    PacketRewriter.SetMac(buffer.AsSpan(start, length), 6, action.Value);
                    break;
                case ActionType.SetEthDst:
                    PacketRewriter.SetMac(buffer.AsSpan(start, length), 0, action.Value);
                    break;
                case ActionType.PushVlan:
                    PacketRewriter.TryPushVlan(buffer, ref start, ref length, floor, (ushort)action.Arg);
                    break;
                case ActionType.PopVlan:
                    PacketRewriter.TryPopVlan(buffer, ref start, ref length);
                    break;
                case ActionType.SetDscp:
                    SetDscp(buffer.AsSpan(start, length), (byte)action.Arg);
                    break;
                case ActionType.SetEcn:
                    if (PacketRewriter.TryGetTos(buffer.AsSpan(start, length), out var tos))
                    {
                        PacketRewriter.TrySetTos(buffer.AsSpan(start, length), (byte)((uint)(tos & 0xFC) | (action.Arg & 3)));
                    }

                    break;
                case ActionType.Meter:
                    if (!_meters.TryPass(action.Arg, length, now, out var band, out var remarkDscp))
                    {
                        if (band == MeterBandType.Drop)
                        {
                            Stats.Drops.Increment(DropReason.Meter);
                            return;
                        }

                        SetDscp(buffer.AsSpan(start, length), remarkDscp);
                    }

                    break;
                case ActionType.CongestionMark:
                    MarkCongestion(buffer.AsSpan(start, length), action.Arg);
                    break;
                case ActionType.RateAdvertise:
                    if (action.Arg < AppId.Capacity && Volatile.Read(ref _advertisedRate[action.Arg]) is var rate and > 0)
                    {
                        if (PacketRewriter.TryInsertRateOption(buffer, ref start, ref length, floor, rate, OutputMtu(actions, a + 1, key.InPort)))
                        {
                            Stats.RateAdvertised++;
                        }
                        else
                        {
                            Stats.RateUnstamped++;
                        }
                    }

                    break;
            }
        }

        if (!delivered)
        {
            Stats.Drops.Increment(DropReason.NoRoute);
        }
    }

    /// <summary>The smallest MTU of the ports the packet leaves by after action <paramref name="from"/> (an output's port,
    /// every port but the input for a flood); the standard 1,500 when none follows.</summary>
    private int OutputMtu(FlowAction[] actions, int from, ushort inPort)
    {
        var mtu = int.MaxValue;
        for (var a = from; a < actions.Length; a++)
        {
            if (actions[a].Type == ActionType.Output && actions[a].Arg <= ushort.MaxValue && _portIndex[actions[a].Arg] is var index and >= 0)
            {
                mtu = Math.Min(mtu, _portMtu[index]);
            }
            else if (actions[a].Type == ActionType.Flood)
            {
                for (var p = 0; p < _portCount; p++)
                {
                    if (_portNumbers[p] != inPort)
                    {
                        mtu = Math.Min(mtu, _portMtu[p]);
                    }
                }
            }
        }

        return mtu == int.MaxValue ? RateOption.MaxStampedIpLength : mtu;
    }

    private static void SetDscp(Span<byte> frame, byte dscp)
    {
        if (PacketRewriter.TryGetTos(frame, out var tos))
        {
            PacketRewriter.TrySetTos(frame, (byte)((dscp << 2) | (tos & 3)));
        }
    }

    private void MarkCongestion(Span<byte> frame, uint application)
    {
        // RFC 3168 section 5: only ECT(0)=10 or ECT(1)=01 packets may be marked CE=11; not-ECT is left alone.
        if (application >= AppId.Capacity || !Volatile.Read(ref _congested[application])
            || !PacketRewriter.TryGetTos(frame, out var tos) || (tos & 3) is 0 or 3)
        {
            return;
        }

        if (PacketRewriter.TrySetTos(frame, (byte)(tos | 3)))
        {
            Stats.CongestionMarked++;
        }
    }

    private bool SendTo(uint portNumber, ReadOnlySpan<byte> frame, ushort inPort)
    {
        var index = portNumber <= ushort.MaxValue ? _portIndex[portNumber] : -1;
        if (index < 0)
        {
            Stats.Drops.Increment(DropReason.NoSuchPort);
            return false;
        }

        SendToIndex(index, frame, inPort);
        return true;
    }

    private void SendToIndex(int index, ReadOnlySpan<byte> frame, ushort inPort)
    {
        if (_budgets[index] is { } budget)
        {
            if (!budget.TryEnqueue(new SourceId(inPort), frame, _now))
            {
                Stats.Drops.Increment(DropReason.Budget);
            }

            return;
        }

        var batch = _txBatches[index];
        if (batch.Free == 0)
        {
            Flush(index);
        }

        if (!batch.TryAdd(frame))
        {
            Stats.Drops.Increment(DropReason.FrameTooLarge);
        }
    }

    private void Flush(int index)
    {
        var batch = _txBatches[index];
        if (_budgets[index] is { } budget)
        {
            FlushBudgeted(index, budget, batch);
            return;
        }

        if (batch.Count == 0)
        {
            return;
        }

        var sent = _ports[index].TransmitBurst(batch);
        CountTransmit(index, batch, sent);
        batch.Clear();
    }

    private void FlushBudgeted(int index, ByteBudgetScheduler budget, FrameBatch batch)
    {
        while (true)
        {
            batch.Clear();
            if (budget.Admit(batch, _now) == 0)
            {
                return;
            }

            var sent = _ports[index].TransmitBurst(batch);
            CountTransmit(index, batch, sent);

            // The port has taken (or refused) every admitted frame: that is its completion (free-buffer) hook.
            for (var i = 0; i < batch.Count; i++)
            {
                budget.CompleteNext(_now);
            }

            if (sent < batch.Count)
            {
                batch.Clear();
                return;
            }
        }
    }

    private void CountTransmit(int index, FrameBatch batch, int sent)
    {
        Stats.TxPackets += sent;
        _portTxPackets[index] += sent;
        if (_capturePort == _portNumbers[index])
        {
            Mirror(batch, sent, outbound: true);
        }

        long bytes = 0;
        for (var i = 0; i < sent; i++)
        {
            bytes += batch.LengthRef(i);
        }

        _portTxBytes[index] += bytes;
        if (sent < batch.Count)
        {
            Stats.Drops.Add(DropReason.QueueFull, batch.Count - sent);
            _portTxDropped[index] += batch.Count - sent;
        }
    }

    private void FlushAll()
    {
        for (var p = 0; p < _portCount; p++)
        {
            Flush(p);
        }
    }
}
