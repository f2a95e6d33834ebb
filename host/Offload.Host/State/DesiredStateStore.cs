using System.Text.Json;
using Microsoft.Extensions.Options;
using Offload.Contracts.Management;

namespace Offload.Host.State;

/// <summary>
/// offloadd's desired state: loaded from <c>State:Path</c> at startup, replaced through the API (validated, compared,
/// persisted atomically, then published), and read by the per-NIC appliers. Replacements are serialised; readers get
/// an immutable snapshot (a private copy is handed out, never the stored object).
/// </summary>
internal sealed partial class DesiredStateStore(IOptions<StateOptions> options, ILogger<DesiredStateStore> logger)
{
    private readonly Lock _gate = new();
    private DesiredState _current = new();
    private bool _loaded;

    /// <summary>Raised after a change is persisted, with the new state (a copy each handler may keep).</summary>
    public event Action<DesiredState>? Changed;

    /// <summary>The state file path.</summary>
    public string Path => options.Value.Path;

    /// <summary>The current revision.</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _current.Revision;
            }
        }
    }

    /// <summary>Reads the state file; called once before offloadd starts serving.</summary>
    /// <exception cref="DesiredStateException">The file is unreadable or corrupt (the message is one line).</exception>
    public void Load()
    {
        var state = DesiredStateFile.Load(Path);
        lock (_gate)
        {
            _current = state;
            _loaded = true;
        }

        LogLoaded(logger, Path, state.Revision, state.Tenants.Count, state.Subsystems.Count);
    }

    /// <summary>A copy of the current state.</summary>
    public DesiredState Snapshot()
    {
        lock (_gate)
        {
            return Clone(_current);
        }
    }

    /// <summary>Compares <paramref name="desired"/> with the current state without changing anything.</summary>
    public StateChangeDocument Diff(DesiredState desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        lock (_gate)
        {
            return new StateChangeDocument(ManagementApi.DiffSchema, _current.Revision, DesiredStateDiff.Compute(_current, desired));
        }
    }

    /// <summary>
    /// Replaces the state with <paramref name="desired"/> when its revision is 0 or the current one. No change means no
    /// new revision and no write. Throws <see cref="DesiredStateConflictException"/> on a stale revision and
    /// <see cref="DesiredStateException"/> when the file cannot be written (then nothing changed).
    /// </summary>
    public StateChangeDocument Replace(DesiredState desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        DesiredState published;
        List<StateChange> changes;
        lock (_gate)
        {
            if (!_loaded)
            {
                throw new InvalidOperationException("Load() was not called.");
            }

            if (desired.Revision != 0 && desired.Revision != _current.Revision)
            {
                throw new DesiredStateConflictException(desired.Revision, _current.Revision);
            }

            changes = DesiredStateDiff.Compute(_current, desired);
            if (changes.Count == 0)
            {
                return new StateChangeDocument(ManagementApi.ApplySchema, _current.Revision, changes);
            }

            var next = Clone(desired);
            next.Revision = _current.Revision + 1;
            DesiredStateFile.Save(Path, next);
            _current = next;
            published = Clone(next);
        }

        LogChanged(logger, published.Revision, changes.Count);
        Changed?.Invoke(published);
        return new StateChangeDocument(ManagementApi.ApplySchema, published.Revision, changes);
    }

    private static DesiredState Clone(DesiredState state) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(state, ManagementJsonContext.Default.DesiredState), ManagementJsonContext.Default.DesiredState)!;

    [LoggerMessage(EventId = 3400, Level = LogLevel.Information, Message = "Desired state loaded from {Path}: revision {Revision}, {Tenants} tenants, {Subsystems} subsystems")]
    private static partial void LogLoaded(ILogger logger, string path, long revision, int tenants, int subsystems);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Desired state changed to revision {Revision} ({Changes} changes); re-applying to every connected NIC")]
    private static partial void LogChanged(ILogger logger, long revision, int changes);
}
