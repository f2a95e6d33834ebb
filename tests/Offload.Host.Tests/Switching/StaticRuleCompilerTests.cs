using Offload.Contracts.Messages;
using Offload.Host.Switching;
using Offload.Nic.Datapath.FlowKeys;
using static Offload.Host.Tests.Switching.EthernetFrames;

namespace Offload.Host.Tests.Switching;

public sealed class StaticRuleCompilerTests
{
    [Fact]
    public void TryCompile_AllFields_MatchCoversTheDatapathKeyOfAMatchingFrameOnly()
    {
        var rule = new StaticRule { Priority = 500, InPort = 3, EthSrc = "02:00:00:00:00:0a", EthDst = "02:00:00:00:00:0B", EtherType = 0x0800, Actions = "output:2, flood" };

        Assert.True(StaticRuleCompiler.TryCompile(rule, out var install, out string error), error);

        Assert.Equal(500, install.Priority);
        Assert.Equal([new FlowAction(FlowActionKind.Output, 2), new FlowAction(FlowActionKind.Flood, 0)], install.Actions);
        Assert.True(FlowKey.TryRead(install.Match.Span, out var match));
        Assert.True(FlowKey.TryRead(install.Mask.Span, out var mask));
        Assert.True(FlowKey.TryRead(Miss(1, 3, Udp(HostB, HostA)).Key.Span, out var hit));
        Assert.True(FlowKey.TryRead(Miss(1, 2, Udp(HostB, HostA)).Key.Span, out var otherPort));
        Assert.True(FlowKey.TryRead(Miss(1, 3, Udp(HostC, HostA)).Key.Span, out var otherDst));
        Assert.True(hit.MatchesMasked(match, mask));
        Assert.False(otherPort.MatchesMasked(match, mask));
        Assert.False(otherDst.MatchesMasked(match, mask));
    }

    [Fact]
    public void TryCompile_OnlyInPort_WildcardsEverythingElse()
    {
        Assert.True(StaticRuleCompiler.TryCompile(new StaticRule { InPort = 3, Actions = "drop" }, out var install, out _));

        Assert.True(FlowKey.TryRead(install.Mask.Span, out var mask));
        Assert.Equal((ushort)0xFFFF, mask.InPort);
        Assert.Equal(0UL, mask.EthDst | mask.EthSrc);
        Assert.Equal(1000, install.Priority);
    }

    [Theory]
    [InlineData(null, "02:00:00:00:00", "drop", "EthSrc")]
    [InlineData(null, null, "output:0", "action 'output:0'")]
    [InlineData(null, null, "teleport", "action 'teleport'")]
    [InlineData(null, null, " , ", "Actions is empty")]
    [InlineData(70000, null, "drop", "InPort 70000")]
    public void TryCompile_BadRule_FailsNamingTheRuleAndField(int? inPort, string? ethSrc, string actions, string expected)
    {
        var rules = new List<StaticRule> { new() { Actions = "drop" }, new() { InPort = inPort, EthSrc = ethSrc, Actions = actions } };

        Assert.False(StaticRuleCompiler.TryCompile(rules, out var installs, out string error));

        Assert.Empty(installs);
        Assert.StartsWith("Switching:Rules:1: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
