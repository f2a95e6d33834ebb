using Offload.Nic.Nvme.Scheduler;
using AppId = Offload.Nic.Nvme.Subsystem.AppId;

namespace Offload.Nic.Telemetry;

/// <summary>The per-connection memory of <see cref="FlowMetadataSampler"/>: one contiguous table of slots.</summary>
internal sealed partial class FlowMetadataSampler
{
    private readonly Dictionary<long, int> _slotById = [];
    private readonly List<int> _freeSlots = [];
    private ConnectionSlot[] _slots = [];
    private int _slotCount;
    private int _liveSlots;

    /// <summary>The sampler's memory of a connection: a slot in one contiguous table (10,000 connections' states in
    /// ~1 MB, not one object each on its own page next to its histogram copy), found through the connection's
    /// counters; through a table when another sampler already owns the counters' slot field.</summary>
    private int SlotOf(ConnectionCounters c, AppId app)
    {
        bool mine = ReferenceEquals(c.TelemetryOwner, this);
        if (mine && _slots[c.TelemetrySlot] is { InUse: true } held && held.Connection == c.Id)
        {
            return c.TelemetrySlot;
        }

        if (_slotById.TryGetValue(c.Id, out int slot))
        {
            return slot;
        }

        // New, or missing from a period's list (its slot was freed and may belong to another connection now).
        slot = NewSlot(c.Id, Apps.GetOrAdd(app));
        if (mine || c.TelemetryOwner is null)
        {
            c.TelemetrySlot = slot;
            c.TelemetryOwner = this;
        }
        else
        {
            _slotById.Add(c.Id, slot);
        }

        return slot;
    }

    private int NewSlot(long connection, Offload.Contracts.Ids.AppId application)
    {
        int slot;
        if (_freeSlots.Count > 0)
        {
            slot = _freeSlots[^1];
            _freeSlots.RemoveAt(_freeSlots.Count - 1);
        }
        else
        {
            if (_slotCount == _slots.Length)
            {
                Array.Resize(ref _slots, Math.Max(64, _slots.Length * 2));
            }

            slot = _slotCount++;
        }

        _slots[slot] = new ConnectionSlot { Connection = connection, Application = application, InUse = true };
        _liveSlots++;
        return slot;
    }

    /// <summary>Slots of connections not seen this period go back to the free list (their counters are gone).</summary>
    private void FreeGoneSlots()
    {
        for (int i = 0; i < _slotCount; i++)
        {
            ref var slot = ref _slots[i];
            if (slot.InUse && slot.Seen != _sampleNumber)
            {
                _slotById.Remove(slot.Connection);
                slot.InUse = false;
                _freeSlots.Add(i);
                _liveSlots--;
            }
        }
    }

    /// <summary>What the sampler remembers of one connection between periods (one slot of the table for its life).</summary>
    private struct ConnectionSlot
    {
        public long Connection;
        public long Seen;
        public long ReadCommands;
        public long WriteCommands;
        public long BytesRead;
        public long BytesWritten;
        public long CpuNanoseconds;
        public long Pdus;
        public double ReadEwma;
        public double WriteEwma;
        public long CompletedAtLatency;
        public Offload.Contracts.Ids.AppId Application;
        public uint P50;
        public uint P99;
        public uint P999;
        public bool HasEwma;
        public bool LatencyMeasured;
        public bool InUse;

        /// <summary>The histogram groups <see cref="Latency"/> holds (bit g: buckets g*8 .. g*8+7).</summary>
        public ulong LatencyGroups;

        /// <summary>The connection's cumulative counts of <see cref="LatencyGroups"/> at its last latency window, 8 per
        /// group in group order (allocated at the first window, grown when a new group is recorded).</summary>
        public long[]? Latency;
    }
}
