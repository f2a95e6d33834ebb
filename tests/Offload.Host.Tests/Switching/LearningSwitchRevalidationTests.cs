using Offload.Contracts.Messages;
using Offload.Host.Switching;
using Offload.Testing.Time;
using static Offload.Host.Tests.Switching.EthernetFrames;

namespace Offload.Host.Tests.Switching;

public sealed class LearningSwitchRevalidationTests
{
    private readonly LearningSwitch _switch = new(new LearningSwitchOptions(), new SimulatedTimeProvider());

    [Fact]
    public void Revalidate_AfterLearning_RemovesLearnedFlowsThenInstallsStaticFlowsWithNewCookie()
    {
        _switch.TryDecide(Miss(1, 1, Udp(HostB, HostA)), out _, out _); // flood toward B
        _switch.TryDecide(Miss(2, 2, Udp(HostA, HostB)), out _, out _); // output(1) toward A; B learned (flood toward B invalidated)
        Assert.True(StaticRuleCompiler.TryCompile(new StaticRule { InPort = 3, Actions = "drop" }, out var rule, out _));

        var first = _switch.Revalidate([rule]);

        var removes = first.OfType<FlowRemove>().Select(r => r.Cookie).ToList();
        Assert.Equal([LearningSwitch.CookieFor(new MacAddress(HostA))], removes);
        var install = Assert.IsType<FlowInstall>(first[^1]);
        Assert.Equal(rule.Match.ToArray(), install.Match.ToArray());
        Assert.Equal(1000, install.Priority);
        Assert.NotEqual(0UL, install.Cookie);

        // Learning still works after revalidation, and the next change removes the previous static generation.
        Assert.True(_switch.TryDecide(Miss(3, 1, Udp(HostB, HostA)), out var again, out _));
        Assert.Equal([new FlowAction(FlowActionKind.Output, 2)], again.Actions);
        var second = _switch.Revalidate([]);
        Assert.Equal(
            [install.Cookie, LearningSwitch.CookieFor(new MacAddress(HostB))],
            second.OfType<FlowRemove>().Select(r => r.Cookie).ToList());
        Assert.Empty(second.OfType<FlowInstall>());
    }

    [Fact]
    public void Revalidate_NothingLearnedNoRules_SendsNothing()
    {
        Assert.Empty(_switch.Revalidate([]));
    }
}
