using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Offload.Host.History;
using Offload.Host.Network;

namespace Offload.Host.Loop;

/// <summary>One <see cref="NicControlLoop"/> per configured NIC mailbox endpoint; the place explain and status read
/// the last decisions from. Every loop shares the one <see cref="TenantHistory"/> (null when history is off); at
/// shutdown (disposal) every loop writes its open rollups.</summary>
internal sealed class ControlLoopRegistry(IOptions<ControlLoopOptions> options, TimeProvider time, ILoggerFactory loggers,
    TenantHistory? history = null, NetworkDemandAggregator? network = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, NicControlLoop> _loops = new(StringComparer.Ordinal);

    public IReadOnlyCollection<NicControlLoop> Loops => [.. _loops.Values];

    /// <summary>The shared history, or null when <c>History:Enabled</c> is false.</summary>
    public TenantHistory? History => history;

    /// <summary>The network demand aggregate, or null when <c>NetworkController:Enabled</c> is false.</summary>
    public NetworkDemandAggregator? Network => network;

    public NicControlLoop GetOrCreate(string endpoint) =>
        _loops.GetOrAdd(endpoint, e => new NicControlLoop(e, options.Value, time, loggers.CreateLogger("Offload.Host.Loop"), history, network));

    public bool TryGet(string endpoint, out NicControlLoop loop) => _loops.TryGetValue(endpoint, out loop!);

    public void Dispose()
    {
        if (history is null)
        {
            return;
        }

        foreach (var loop in _loops.Values)
        {
            try
            {
                loop.FlushHistory();
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // Shutting down: a rollup that cannot be written is lost, the rest of the history is intact.
            }
        }
    }
}
