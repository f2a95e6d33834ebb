using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath.TxQueue;

/// <summary>Admission (backlog to port) and completion.</summary>
public sealed partial class ByteBudgetScheduler
{
    /// <summary>
    /// Moves admissible frames into <paramref name="toPort"/> (its per-frame tag carries the source id) until the
    /// batch is full or nothing fits any budget. The caller transmits the batch; every frame the port accepts must
    /// later be reported with <see cref="CompleteNext"/> in order.
    /// </summary>
    public int Admit(FrameBatch toPort, long now)
    {
        ArgumentNullException.ThrowIfNull(toPort);
        var admitted = 0;
        while (toPort.Free > 0 && _outCount < _outSource.Length)
        {
            var index = PickAgedLow(now);
            if (index < 0)
            {
                index = PickRoundRobin(TrafficClass.High, ref _rrHigh);
            }

            if (index < 0)
            {
                index = PickRoundRobin(TrafficClass.Low, ref _rrLow);
            }

            if (index < 0)
            {
                break;
            }

            AdmitHead(index, toPort);
            admitted++;
        }

        TrackSlack(now);
        return admitted;
    }

    /// <summary>
    /// The port consumed the oldest outstanding frame: release its bytes, record its time in queue, and adapt the
    /// limit: grow when the port ran dry while frames waited (starvation), as BQL does.
    /// </summary>
    public bool CompleteNext(long now)
    {
        if (_outCount == 0)
        {
            return false;
        }

        var index = _outSource[_outHead];
        var size = _outSize[_outHead];
        var waited = now - _outEnqueued[_outHead];
        _outHead = (_outHead + 1) % _outSource.Length;
        _outCount--;
        _outstandingBytes -= size;
        ref var s = ref _sources[index];
        s.InflightBytes -= size;
        s.InflightPackets--;
        s.Completed++;
        s.TotalTimeInQueue += waited;
        if (waited > s.MaxTimeInQueue)
        {
            s.MaxTimeInQueue = waited;
        }

        if (_maxLimit > 0 && _outCount == 0 && HasBacklog())
        {
            Limit = Math.Min(_maxLimit, Limit + size); // starved while work waits
            _minSlack = long.MaxValue;
        }

        return true;
    }

    private void TrackSlack(long now)
    {
        if (_maxLimit <= 0)
        {
            return;
        }

        var slack = Limit - _outstandingBytes;
        if (slack < _minSlack)
        {
            _minSlack = slack;
        }

        if (now - _slackIntervalStart >= _slackIntervalTicks)
        {
            // The queue stood with at least _minSlack unused for a whole interval: shrink by half of it.
            if (_minSlack != long.MaxValue && _minSlack > 0 && HasBacklog() is false)
            {
                Limit = Math.Max(_minLimit, Limit - (_minSlack / 2));
            }

            _minSlack = long.MaxValue;
            _slackIntervalStart = now;
        }
    }

    private bool HasBacklog()
    {
        for (var i = 0; i < _sourceCount; i++)
        {
            if (_sources[i].BacklogCount > 0)
            {
                return true;
            }
        }

        return false;
    }

    private bool Fits(int index) =>
        _sources[index].Head >= 0 && _sources[index].InflightBytes + _slotLength[_sources[index].Head] <= Budget(index)
        && _outstandingBytes + _slotLength[_sources[index].Head] <= Limit;

    private int PickAgedLow(long now)
    {
        var best = -1;
        var oldest = long.MaxValue;
        for (var i = 0; i < _sourceCount; i++)
        {
            ref var s = ref _sources[i];
            if (s.Class == TrafficClass.Low && s.Head >= 0 && now - _slotEnqueued[s.Head] >= _agingTicks
                && _slotEnqueued[s.Head] < oldest && Fits(i))
            {
                best = i;
                oldest = _slotEnqueued[s.Head];
            }
        }

        return best;
    }

    private int PickRoundRobin(TrafficClass trafficClass, ref int cursor)
    {
        for (var n = 0; n < _sourceCount; n++)
        {
            var i = (cursor + n) % _sourceCount;
            if (_sources[i].Class == trafficClass && Fits(i))
            {
                cursor = (i + 1) % _sourceCount;
                return i;
            }
        }

        return -1;
    }

    private void AdmitHead(int index, FrameBatch toPort)
    {
        ref var s = ref _sources[index];
        var slot = s.Head;
        var size = _slotLength[slot];
        toPort.TryAdd(_slots.AsSpan(slot * _slotSize, size), new PortNo(s.Id));
        var tail = (_outHead + _outCount) % _outSource.Length;
        _outSource[tail] = index;
        _outSize[tail] = size;
        _outEnqueued[tail] = _slotEnqueued[slot];
        _outCount++;
        _outstandingBytes += size;
        s.InflightBytes += size;
        s.InflightPackets++;
        s.Head = _slotNext[slot];
        if (s.Head < 0)
        {
            s.Tail = -1;
        }

        s.BacklogCount--;
        _freeSlots[_freeCount++] = slot;
    }
}
