using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Classifier;

/// <summary>
/// Tuple-space search classifier (as in OVS dpcls): one <see cref="Subtable"/> per distinct mask.
/// Subtables are kept ordered by maximum priority (descending) and, within equal priority, by hits
/// since the last <see cref="Rank"/>, so the common case (all megaflows at one priority, non-overlapping)
/// stops at the first subtable that matches. The matched <see cref="Megaflow.Mask"/> is the wildcard set.
/// Single-threaded: owned by the poll thread.
/// </summary>
internal sealed class MegaflowClassifier
{
    private Subtable[] _subtables = new Subtable[8];
    private int _subtableCount;

    public int SubtableCount => _subtableCount;

    public int Count { get; private set; }

    public Megaflow? Lookup(in FlowKey key)
    {
        Megaflow? best = null;
        Subtable? bestTable = null;
        var tables = _subtables;
        for (var i = 0; i < _subtableCount; i++)
        {
            var table = tables[i];
            if (best is not null && table.MaxPriority <= best.Priority)
            {
                break;
            }

            var flow = table.Lookup(key);
            if (flow is not null && (best is null || flow.Priority > best.Priority))
            {
                best = flow;
                bestTable = table;
            }
        }

        if (bestTable is not null)
        {
            bestTable.Hits++;
        }

        return best;
    }

    /// <summary>Finds the megaflow with exactly this match and mask.</summary>
    public Megaflow? Find(in FlowKey match, in FlowKey mask)
    {
        var table = FindSubtable(mask);
        return table?.Find(match.And(mask));
    }

    public void Insert(Megaflow flow)
    {
        var table = FindSubtable(in flow.MaskKey);
        if (table is null)
        {
            table = new Subtable(flow.Mask);
            if (_subtableCount == _subtables.Length)
            {
                Array.Resize(ref _subtables, _subtables.Length * 2);
            }

            _subtables[_subtableCount++] = table;
        }

        table.Insert(flow);
        Count++;
        Sort();
    }

    public void OnPriorityChanged(Megaflow flow)
    {
        FindSubtable(in flow.MaskKey)?.RaiseMaxPriority(flow.Priority);
        Sort();
    }

    public bool Remove(Megaflow flow)
    {
        var table = FindSubtable(in flow.MaskKey);
        if (table is null || !table.Remove(flow))
        {
            return false;
        }

        Count--;
        if (table.Count == 0)
        {
            var index = Array.IndexOf(_subtables, table, 0, _subtableCount);
            Array.Copy(_subtables, index + 1, _subtables, index, _subtableCount - index - 1);
            _subtables[--_subtableCount] = null!;
        }

        return true;
    }

    /// <summary>Re-ranks subtables by hits (decaying the counts) and refreshes stale max priorities.</summary>
    public void Rank()
    {
        for (var i = 0; i < _subtableCount; i++)
        {
            _subtables[i].RecomputeMaxPriority();
        }

        Sort();
        for (var i = 0; i < _subtableCount; i++)
        {
            _subtables[i].Hits /= 2;
        }
    }

    private Subtable? FindSubtable(in FlowKey mask)
    {
        for (var i = 0; i < _subtableCount; i++)
        {
            if (_subtables[i].HasMask(mask))
            {
                return _subtables[i];
            }
        }

        return null;
    }

    private void Sort()
    {
        // Insertion sort: few subtables, nearly sorted, no allocation.
        for (var i = 1; i < _subtableCount; i++)
        {
            var item = _subtables[i];
            var j = i - 1;
            while (j >= 0 && Before(item, _subtables[j]))
            {
                _subtables[j + 1] = _subtables[j];
                j--;
            }

            _subtables[j + 1] = item;
        }
    }

    private static bool Before(Subtable a, Subtable b) =>
        a.MaxPriority > b.MaxPriority || (a.MaxPriority == b.MaxPriority && a.Hits > b.Hits);
}
