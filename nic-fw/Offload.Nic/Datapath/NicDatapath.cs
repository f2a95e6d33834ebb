using Offload.Contracts.Messages;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Port;
using DpAction = Offload.Nic.Datapath.Actions.FlowAction;
using WireAction = Offload.Contracts.Messages.FlowAction;

namespace Offload.Nic.Datapath;

/// <summary>
/// nic-fw's switch: the <see cref="SwitchDatapath"/> plus the translation of mailbox <see cref="FlowInstall"/> and
/// <see cref="FlowRemove"/> into its control API. Thread-safe (the control API queues commands for the poll thread).
/// </summary>
internal sealed class NicDatapath
{
    /// <summary>Meter ids the datapath accepts (its meter table holds 1024).</summary>
    private const ulong MeterCapacity = 1024;

    private readonly Dictionary<ulong, HashSet<(FlowKey Match, FlowKey Mask)>> _byCookie = [];
    private readonly Dictionary<(FlowKey Match, FlowKey Mask), ulong> _cookieOf = [];
    private readonly Lock _cookieLock = new();
    private long _installed;
    private long _removed;
    private long _rejected;

    public NicDatapath(SwitchDatapath datapath, UpcallQueue upcalls)
    {
        Switch = datapath;
        Upcalls = upcalls;
        upcalls.FlowRemoved = Forget;
    }

    /// <summary>Flows tracked under a cookie (for tests and stats).</summary>
    public int CookieFlowCount
    {
        get
        {
            lock (_cookieLock)
            {
                return _cookieOf.Count;
            }
        }
    }

    public SwitchDatapath Switch { get; }

    public UpcallQueue Upcalls { get; }

    /// <summary>Called after an install or removal is queued (the poll loop's wake-up); null: nothing to wake.</summary>
    public Action? CommandQueued { get; set; }

    /// <summary>FlowInstall messages applied.</summary>
    public long Installed => Interlocked.Read(ref _installed);

    /// <summary>FlowRemove messages applied.</summary>
    public long Removed => Interlocked.Read(ref _removed);

    /// <summary>FlowInstall/FlowRemove messages refused (bad key size, unknown action kind, bad argument).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Installs the flow; held packets of the answered upcall that match are released by the poll thread.</summary>
    /// <returns>False (and counted) when the message cannot be applied.</returns>
    public bool TryApply(FlowInstall install)
    {
        ArgumentNullException.ThrowIfNull(install);
        if (!FlowKey.TryRead(install.Match.Span, out var match) || !FlowKey.TryRead(install.Mask.Span, out var mask)
            || !TryTranslate(install.Actions, out var actions))
        {
            Interlocked.Increment(ref _rejected);
            return false;
        }

        Switch.InstallFlow(match, mask, install.Priority, actions,
            TimeSpan.FromMilliseconds(install.IdleTimeoutMs), TimeSpan.FromMilliseconds(install.HardTimeoutMs));
        if (install.Cookie != 0)
        {
            var flow = (match.And(mask), mask);
            lock (_cookieLock)
            {
                if (_cookieOf.Remove(flow, out ulong previous) && _byCookie.TryGetValue(previous, out var old))
                {
                    old.Remove(flow); // re-installing the same match+mask replaces the flow and its cookie
                }

                if (!_byCookie.TryGetValue(install.Cookie, out var set))
                {
                    set = [];
                    _byCookie[install.Cookie] = set;
                }

                set.Add(flow);
                _cookieOf[flow] = install.Cookie;
            }
        }

        Interlocked.Increment(ref _installed);
        CommandQueued?.Invoke();
        return true;
    }

    /// <summary>
    /// Removes flows: with a cookie, every flow installed with that cookie; otherwise the flow with exactly this match
    /// and mask (removal is always strict on match and mask in this version).
    /// </summary>
    public bool TryApply(FlowRemove remove)
    {
        ArgumentNullException.ThrowIfNull(remove);
        if (remove.Cookie != 0)
        {
            HashSet<(FlowKey Match, FlowKey Mask)>? flows;
            lock (_cookieLock)
            {
                if (_byCookie.Remove(remove.Cookie, out flows))
                {
                    foreach (var flow in flows)
                    {
                        _cookieOf.Remove(flow);
                    }
                }
            }

            foreach (var (match, mask) in flows ?? [])
            {
                Switch.RemoveFlow(match, mask);
            }

            Interlocked.Increment(ref _removed);
            CommandQueued?.Invoke();
            return true;
        }

        if (!FlowKey.TryRead(remove.Match.Span, out var m) || !FlowKey.TryRead(remove.Mask.Span, out var k))
        {
            Interlocked.Increment(ref _rejected);
            return false;
        }

        Switch.RemoveFlow(m.And(k), k);
        Interlocked.Increment(ref _removed);
        CommandQueued?.Invoke();
        return true;
    }

    /// <summary>The datapath removed a flow (timeout, delete, eviction, refusal): stop tracking its cookie.</summary>
    private void Forget(FlowKey match, FlowKey mask)
    {
        var flow = (match.And(mask), mask);
        lock (_cookieLock)
        {
            if (_cookieOf.Remove(flow, out ulong cookie) && _byCookie.TryGetValue(cookie, out var set))
            {
                set.Remove(flow);
                if (set.Count == 0)
                {
                    _byCookie.Remove(cookie);
                }
            }
        }
    }

    /// <summary>Maps wire action kinds (docs/PROTOCOL.md) to datapath actions.</summary>
    internal static bool TryTranslate(IReadOnlyList<WireAction> wire, out DpAction[] actions)
    {
        actions = new DpAction[wire.Count];
        for (int i = 0; i < wire.Count; i++)
        {
            ulong a = wire[i].Argument;
            DpAction? action = wire[i].Kind switch
            {
                FlowActionKind.Output when a < 0xFFFF => DpAction.Output(new PortNo((ushort)a)),
                FlowActionKind.Flood => DpAction.Flood(),
                FlowActionKind.Drop when a <= byte.MaxValue => DpAction.Drop(a == 0 ? DropReason.NoRoute : (DropReason)a),
                FlowActionKind.SetEthSource => DpAction.SetEthSrc(a & 0xFFFF_FFFF_FFFFUL),
                FlowActionKind.SetEthDestination => DpAction.SetEthDst(a & 0xFFFF_FFFF_FFFFUL),
                FlowActionKind.PushVlan when (a >> 16) is 0 or 0x8100 => DpAction.PushVlan((ushort)a),
                FlowActionKind.PopVlan => DpAction.PopVlan(),
                FlowActionKind.SetDscp when a <= 63 => DpAction.SetDscp((byte)a),
                FlowActionKind.SetEcn when a <= 3 => DpAction.SetEcn((byte)a),
                FlowActionKind.Meter when a < MeterCapacity => DpAction.Meter(new MeterId((ushort)a)),
                FlowActionKind.Controller when a <= uint.MaxValue => DpAction.Controller((uint)a),
                FlowActionKind.CongestionMark when a < AppId.Capacity => DpAction.CongestionMark(new AppId((ushort)a)),
                FlowActionKind.RateAdvertise when a < AppId.Capacity => DpAction.RateAdvertise(new AppId((ushort)a)),
                _ => null,
            };
            if (action is not { } valid)
            {
                return false;
            }

            actions[i] = valid;
        }

        return true;
    }
}
