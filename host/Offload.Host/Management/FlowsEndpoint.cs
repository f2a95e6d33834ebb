using System.Globalization;
using Offload.Contracts.Management;
using Offload.Contracts.Messages;
using Offload.Host.Live;

namespace Offload.Host.Management;

/// <summary>
/// <c>GET /v1/flows?nic=&amp;port=&amp;tenant=&amp;match=&amp;max=</c>: asks each connected NIC (or the one named) for its
/// megaflows with a FlowDumpRequest and merges the replies.
/// </summary>
internal static class FlowsEndpoint
{
    /// <summary>How long a NIC has to answer a flow dump.</summary>
    internal static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    internal static async Task<IResult> HandleAsync(HttpContext context, NicLiveRegistry live, TimeProvider time)
    {
        var query = context.Request.Query;
        byte[] match = [], mask = [];
        string? matchText = query["match"];
        if (!string.IsNullOrWhiteSpace(matchText) && !FlowMatchText.TryParse(matchText, out match, out mask, out string problem))
        {
            return Errors.BadRequest("match: " + problem);
        }

        if (query.TryGetValue("port", out var portText))
        {
            if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) || port is 0 or 0xFFFF)
            {
                return Errors.BadRequest($"port='{portText}' is not a datapath port number; use 1..65534.");
            }

            if (match.Length == 0)
            {
                match = new byte[FlowMatchText.KeySize];
                mask = new byte[FlowMatchText.KeySize];
            }

            FlowMatchText.SetInPort(match, mask, port);
        }

        uint? application = null;
        if (query.TryGetValue("tenant", out var tenantText))
        {
            if (!TryParseTenant(tenantText, out uint app))
            {
                return Errors.BadRequest($"tenant='{tenantText}' is not a tenant; use its label (app1) or application id (1), as 'offloadctl queues' shows.");
            }

            application = app;
        }

        uint max = FlowDumpRequest.MaxFlows;
        if (query.TryGetValue("max", out var maxText) && (!uint.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is 0 or > FlowDumpRequest.MaxFlows))
        {
            return Errors.BadRequest($"max='{maxText}' must be 1 to {FlowDumpRequest.MaxFlows}.");
        }

        string? nic = query["nic"];
        var targets = new List<NicLiveState>();
        foreach (var state in live.Snapshot())
        {
            if (state.Session is not null && (string.IsNullOrEmpty(nic) || string.Equals(state.BoardId, nic, StringComparison.Ordinal)))
            {
                targets.Add(state);
            }
        }

        if (targets.Count == 0)
        {
            return string.IsNullOrEmpty(nic)
                ? Errors.Unavailable("no NIC is connected; check 'offloadctl nics' and that nic-fw is running.")
                : Errors.NotFound($"NIC '{nic}' is not connected; 'offloadctl nics' lists the NICs.");
        }

        var rows = new List<FlowRow>();
        bool truncated = false;
        foreach (var state in targets)
        {
            FlowDumpReply reply;
            try
            {
                reply = await state.DumpFlowsAsync(match, mask, application, max, ReplyTimeout, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                return Errors.Timeout($"NIC '{state.BoardId}' did not answer the flow dump within {ReplyTimeout.TotalSeconds:0}s; check its load and retry.");
            }
            catch (InvalidOperationException ex)
            {
                return Errors.Unavailable(ex.Message + "; retry when it has reconnected.");
            }

            truncated |= reply.Truncated;
            foreach (var f in reply.Flows)
            {
                rows.Add(new FlowRow(
                    state.BoardId ?? state.Endpoint, FlowMatchText.Format(f.Match.Span, f.Mask.Span), FormatActions(f.Actions),
                    f.Priority, f.Packets, f.Bytes, f.UsedMsAgo < 0 ? null : f.UsedMsAgo, FormatTcpFlags(f.TcpFlags),
                    f.IdleTimeoutMs, f.HardTimeoutMs));
            }
        }

        return Results.Json(new FlowsDocument(ManagementApi.FlowsSchema, time.GetUtcNow(), truncated, rows), ManagementJsonContext.Default.FlowsDocument);
    }

    internal static bool TryParseTenant(string? text, out uint application)
    {
        application = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var digits = text.StartsWith("app", StringComparison.Ordinal) ? text.AsSpan(3) : text.AsSpan();
        return uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out application);
    }

    internal static string FormatActions(IReadOnlyList<FlowAction> actions)
    {
        if (actions.Count == 0)
        {
            return "drop";
        }

        var c = CultureInfo.InvariantCulture;
        return string.Join(',', actions.Select(a => a.Kind switch
        {
            FlowActionKind.Output => string.Create(c, $"output:{a.Argument}"),
            FlowActionKind.Flood => "flood",
            FlowActionKind.Drop => "drop",
            FlowActionKind.SetEthSource => string.Create(c, $"set(eth_src=0x{a.Argument:x12})"),
            FlowActionKind.SetEthDestination => string.Create(c, $"set(eth_dst=0x{a.Argument:x12})"),
            FlowActionKind.PushVlan => string.Create(c, $"push_vlan(tci=0x{a.Argument:x4})"),
            FlowActionKind.PopVlan => "pop_vlan",
            FlowActionKind.SetDscp => string.Create(c, $"set(dscp={a.Argument})"),
            FlowActionKind.SetEcn => string.Create(c, $"set(ecn={a.Argument})"),
            FlowActionKind.Meter => string.Create(c, $"meter:{a.Argument}"),
            FlowActionKind.Controller => "controller",
            FlowActionKind.CongestionMark => string.Create(c, $"congestion_mark(app{a.Argument})"),
            FlowActionKind.RateAdvertise => string.Create(c, $"rate_advertise(app{a.Argument})"),
            _ => string.Create(c, $"unknown({(ushort)a.Kind}:{a.Argument})"),
        }));
    }

    internal static string FormatTcpFlags(ushort flags)
    {
        if (flags == 0)
        {
            return string.Empty;
        }

        string[] names = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"];
        var set = new List<string>();
        for (int bit = 0; bit < names.Length; bit++)
        {
            if ((flags & (1 << bit)) != 0)
            {
                set.Add(names[bit]);
            }
        }

        return string.Join('|', set);
    }
}
