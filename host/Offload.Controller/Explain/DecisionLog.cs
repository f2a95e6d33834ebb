using Offload.Contracts.Ids;

namespace Offload.Controller.Explain;

/// <summary>Bounded per-application ring of the most recent decisions.</summary>
public sealed class DecisionLog
{
    private readonly int _capacity;
    private readonly Dictionary<AppId, Queue<Decision>> _byApp = [];

    /// <summary>Keeps the last <paramref name="capacityPerApp"/> decisions of each application.</summary>
    public DecisionLog(int capacityPerApp = 128)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityPerApp);
        _capacity = capacityPerApp;
    }

    /// <summary>Total decisions ever recorded.</summary>
    public long RecordedCount { get; private set; }

    /// <summary>Records a decision, evicting the oldest of that application when full.</summary>
    public void Record(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!_byApp.TryGetValue(decision.Application, out var ring))
        {
            ring = new Queue<Decision>(_capacity);
            _byApp.Add(decision.Application, ring);
        }

        if (ring.Count == _capacity)
        {
            ring.Dequeue();
        }

        ring.Enqueue(decision);
        RecordedCount++;
    }

    /// <summary>The last <paramref name="count"/> decisions for <paramref name="application"/>, oldest first.</summary>
    public IReadOnlyList<Decision> Last(AppId application, int count)
    {
        if (count <= 0 || !_byApp.TryGetValue(application, out var ring))
        {
            return [];
        }

        var all = ring.ToArray();
        return all.Length <= count ? all : all[^count..];
    }
}
