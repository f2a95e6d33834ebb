using Offload.Contracts.Messages;

namespace Offload.Host.Switching;

/// <summary>Static rules and revalidation.</summary>
internal sealed partial class LearningSwitch
{
    private const ulong StaticCookieTag = 2UL << 48;

    private readonly HashSet<ulong> _learnedCookies = [];
    private ulong _staticGeneration;
    private bool _staticInstalled;

    /// <summary>
    /// The messages that bring a NIC to <paramref name="staticFlows"/> and make it recompute every learned flow: remove
    /// the previous static flows (by their generation's cookie) and every learned flow (by destination cookie; the next
    /// packet of each is upcalled and decided again), then install the static flows with a new generation's cookie.
    /// Used when a session is established and when the rules change.
    /// </summary>
    public List<IMailboxMessage> Revalidate(IReadOnlyList<FlowInstall> staticFlows)
    {
        ArgumentNullException.ThrowIfNull(staticFlows);
        var messages = new List<IMailboxMessage>(_learnedCookies.Count + staticFlows.Count + 1);
        if (_staticInstalled)
        {
            messages.Add(new FlowRemove { Cookie = StaticCookieTag | _staticGeneration });
        }

        foreach (ulong cookie in _learnedCookies)
        {
            messages.Add(new FlowRemove { Cookie = cookie });
        }

        _learnedCookies.Clear();
        _staticGeneration++;
        _staticInstalled = staticFlows.Count > 0;
        foreach (var flow in staticFlows)
        {
            messages.Add(new FlowInstall
            {
                Match = flow.Match, Mask = flow.Mask, Priority = flow.Priority, Actions = flow.Actions,
                IdleTimeoutMs = flow.IdleTimeoutMs, HardTimeoutMs = flow.HardTimeoutMs,
                Cookie = StaticCookieTag | _staticGeneration,
            });
        }

        return messages;
    }
}
