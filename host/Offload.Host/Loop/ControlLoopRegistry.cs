using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Offload.Host.Loop;

/// <summary>One <see cref="NicControlLoop"/> per configured NIC mailbox endpoint; the place explain and status read
/// the last decisions from.</summary>
internal sealed class ControlLoopRegistry(IOptions<ControlLoopOptions> options, TimeProvider time, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<string, NicControlLoop> _loops = new(StringComparer.Ordinal);

    public IReadOnlyCollection<NicControlLoop> Loops => [.. _loops.Values];

    public NicControlLoop GetOrCreate(string endpoint) =>
        _loops.GetOrAdd(endpoint, e => new NicControlLoop(e, options.Value, time, loggers.CreateLogger("Offload.Host.Loop")));

    public bool TryGet(string endpoint, out NicControlLoop loop) => _loops.TryGetValue(endpoint, out loop!);
}
