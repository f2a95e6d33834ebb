using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.Port;
using Key = Offload.Nic.Datapath.FlowKeys.FlowKey;

namespace Offload.Nic.Datapath.Tests.Switching;

/// <summary>
/// A tiny test controller answering upcalls like a learning switch: learns eth_src on in_port, installs
/// (in_port, eth_src, eth_dst) megaflows that output to the learned port or flood, and removes flood flows
/// towards a MAC once it is learned (revalidation). Optionally installs exact L3/L4 flows (for flow-limit tests).
/// </summary>
internal sealed class LearningSwitchController(SwitchDatapath datapath, RecordingUpcallSink sink)
{
    private readonly Dictionary<ulong, ushort> _macTable = [];
    private readonly Dictionary<ulong, List<(Key Match, Key Mask)>> _floodFlowsByDst = [];
    private int _handled;

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool ExactFlows { get; set; }

    public int Handle()
    {
        var n = 0;
        for (; _handled < sink.Misses.Count; _handled++)
        {
            var key = sink.Misses[_handled].Key;
            Learn(key.EthSrc, key.InPort);
            var mask = default(Key);
            mask.InPort = 0xFFFF;
            mask.EthSrc = ulong.MaxValue;
            mask.EthDst = ulong.MaxValue;
            if (ExactFlows)
            {
                mask = Key.ExactMask;
                mask.TcpFlags = 0;
            }

            var broadcast = (key.EthDst >> 40 & 1) != 0;
            if (!broadcast && _macTable.TryGetValue(key.EthDst, out var port))
            {
                datapath.InstallFlow(key, mask, 100, [FlowAction.Output(new PortNo(port))], IdleTimeout, TimeSpan.Zero);
            }
            else
            {
                datapath.InstallFlow(key, mask, 100, [FlowAction.Flood()], IdleTimeout, TimeSpan.Zero);
                if (!_floodFlowsByDst.TryGetValue(key.EthDst, out var list))
                {
                    _floodFlowsByDst[key.EthDst] = list = [];
                }

                list.Add((key, mask));
            }

            n++;
        }

        return n;
    }

    private void Learn(ulong mac, ushort port)
    {
        if (_macTable.TryGetValue(mac, out var old) && old == port)
        {
            return;
        }

        _macTable[mac] = port;
        if (_floodFlowsByDst.Remove(mac, out var floods))
        {
            foreach (var (match, mask) in floods)
            {
                datapath.RemoveFlow(match, mask);
            }
        }
    }
}
