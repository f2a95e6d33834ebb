using System.Text.Json;
using Offload.Testing.Processes;
using static Offload.Host.Tests.EndToEnd.StateHarness;

namespace Offload.Host.Tests.EndToEnd;

/// <summary>
/// tenants, subsystems, rates, policy, apply and diff with real nic-fw, offloadd and offloadctl processes, in text and
/// --json (checked against the schemas documented in docs/OPERATIONS.md), and the audit log they leave.
/// </summary>
public sealed class StateCommandsEndToEndTests
{
    private const string Nqn = "nqn.2026-01.io.offload:cli";

    [Fact]
    public async Task Commands_TenantsSubsystemsRatesPolicy_TextAndJsonMatchSchemasAndReachTheNic()
    {
        var port = FreeTcpPort();
        using var nic = await StartNicAsync(port);
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Mailbox:Endpoints:0=tcp://127.0.0.1:{port}");
        var s = offloadd.SocketPath;
        await WaitForNicAsync(s);

        // tenants add (json, then text)
        var added = await CtlJsonAsync(s, "tenants", "add", "gold", "--app", "1", "--weight", "4", "--reservation", "2000", "--class", "latency-sensitive");
        JsonShape.Assert(added, JsonShape.ChangeDocument);
        Assert.Equal("offload.apply/v1", added.GetProperty("schema").GetString());
        Assert.Equal(1, added.GetProperty("revision").GetInt64());
        JsonShape.Assert(added.GetProperty("changes")[0], JsonShape.Change);
        Assert.Equal(("tenant", "gold", "add"), Change(added, 0));
        var text = await CtlAsync(s, 0, "tenants", "add", "bulk", "--app", "2", "--limit", "5000");
        Assert.Contains("+ tenant bulk: app2", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("applied: revision 2", text.StandardOutput, StringComparison.Ordinal);

        // tenants set-sla (text), list (text, json), show (text, json)
        text = await CtlAsync(s, 0, "tenants", "set-sla", "bulk", "--limit", "6000", "--weight", "2");
        Assert.Contains("~ tenant bulk: weight 1 -> 2, limit 5000 -> 6000", text.StandardOutput, StringComparison.Ordinal);
        text = await CtlAsync(s, 0, "tenants", "list");
        Assert.Matches(@"gold\s*│\s*app1\s*│\s*4\s*│\s*2000\s*│\s*none\s*│\s*latency-sensitive", text.StandardOutput);
        Assert.Matches(@"bulk\s*│\s*app2\s*│\s*2\s*│\s*0\s*│\s*6000\s*│\s*throughput", text.StandardOutput);
        var list = await CtlJsonAsync(s, "tenants", "list");
        JsonShape.Assert(list, [("schema", "string"), ("revision", "number"), ("tenants", "array"), ("pinnedRates", "array")]);
        Assert.Equal("offload.tenants/v1", list.GetProperty("schema").GetString());
        Assert.Equal(2, list.GetProperty("tenants").GetArrayLength());
        foreach (var t in list.GetProperty("tenants").EnumerateArray())
        {
            JsonShape.Assert(t, JsonShape.Tenant);
        }

        text = await CtlAsync(s, 0, "tenants", "show", "gold");
        Assert.Contains("tenant gold (app1), revision 3", text.StandardOutput, StringComparison.Ordinal);
        var show = await CtlJsonAsync(s, "tenants", "show", "gold");
        JsonShape.Assert(show, [("schema", "string"), ("revision", "number"), ("tenant", "object"), ("pinnedRate", "object?"), ("rates", "array")]);
        Assert.Equal("offload.tenant/v1", show.GetProperty("schema").GetString());
        Assert.Equal("latency-sensitive", show.GetProperty("tenant").GetProperty("class").GetString());

        // subsystems add (json) reaches nic-fw; list (text, json)
        var sub = await CtlJsonAsync(s, "subsystems", "add", Nqn, "--host", "nqn.2014-08.org.nvmexpress:uuid:h1", "--namespace", "1:1M", "--namespace", "2:64K:4096");
        Assert.Equal(("subsystem", Nqn, "add"), Change(sub, 0));
        await nic.Process.WaitForOutputAsync($"Subsystem {Nqn} set: 2 namespaces, allow any host False, 1 allowed hosts", StepTimeout);
        text = await CtlAsync(s, 0, "subsystems", "list");
        Assert.Contains(Nqn, text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("2: 65536 B/4096", text.StandardOutput, StringComparison.Ordinal);
        var subs = await CtlJsonAsync(s, "subsystems", "list");
        JsonShape.Assert(subs, [("schema", "string"), ("revision", "number"), ("subsystems", "array")]);
        Assert.Equal("offload.subsystems/v1", subs.GetProperty("schema").GetString());
        JsonShape.Assert(subs.GetProperty("subsystems")[0], JsonShape.Subsystem);
        JsonShape.Assert(subs.GetProperty("subsystems")[0].GetProperty("namespaces")[1], JsonShape.Namespace);

        // rates pin (text), show (text, json), set (json), unpin (text)
        text = await CtlAsync(s, 0, "rates", "pin", "bulk", "--iops", "300", "--bytes-per-second", "1200000");
        Assert.Contains("+ pinnedRate bulk: 300 IOPS, 1200000 bytes/s", text.StandardOutput, StringComparison.Ordinal);
        text = await CtlAsync(s, 0, "rates", "show");
        Assert.Matches(@"app2\s*│\s*bulk\s*│\s*300\s*│\s*1200000\s*│\s*pinned", text.StandardOutput);
        var rates = await CtlJsonAsync(s, "rates", "show");
        JsonShape.Assert(rates, [("schema", "string"), ("revision", "number"), ("rates", "array")]);
        Assert.Equal("offload.rates/v1", rates.GetProperty("schema").GetString());
        var row = rates.GetProperty("rates")[0];
        JsonShape.Assert(row, JsonShape.RateRow);
        Assert.True(row.GetProperty("pinned").GetBoolean());
        var set = await CtlJsonAsync(s, "rates", "set", "gold", "--limit", "9000");
        Assert.Equal(("tenant", "gold", "change"), Change(set, 0));
        Assert.Equal("limit none -> 9000", set.GetProperty("changes")[0].GetProperty("detail").GetString());
        text = await CtlAsync(s, 0, "rates", "unpin", "bulk");
        Assert.Contains("- pinnedRate bulk", text.StandardOutput, StringComparison.Ordinal);

        // policy set (text), show (text, json)
        text = await CtlAsync(s, 0, "policy", "set", "--enforce", "false");
        Assert.Contains("~ policy policy: enforce True -> False", text.StandardOutput, StringComparison.Ordinal);
        text = await CtlAsync(s, 0, "policy", "show");
        Assert.Contains("enforce: false", text.StandardOutput, StringComparison.Ordinal);
        var policy = await CtlJsonAsync(s, "policy", "show");
        JsonShape.Assert(policy, [("schema", "string"), ("revision", "number"), ("policy", "object")]);
        Assert.Equal("offload.policy/v1", policy.GetProperty("schema").GetString());
        JsonShape.Assert(policy.GetProperty("policy"), JsonShape.Policy);

        // subsystems remove (json) reaches nic-fw; tenants remove (text)
        var removed = await CtlJsonAsync(s, "subsystems", "remove", Nqn);
        Assert.Equal(("subsystem", Nqn, "remove"), Change(removed, 0));
        await nic.Process.WaitForOutputAsync($"Subsystem {Nqn} removed", StepTimeout);
        text = await CtlAsync(s, 0, "tenants", "remove", "gold");
        Assert.Contains("- tenant gold", text.StandardOutput, StringComparison.Ordinal);

        // the audit log: every mutating call, with the caller's uid/gid/pid from SO_PEERCRED
        var audit = (await File.ReadAllLinesAsync(offloadd.SocketPath + ".audit.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(10, audit.Count);
        foreach (var entry in audit)
        {
            JsonShape.Assert(entry, [("time", "string"), ("transport", "string"), ("uid", "number"), ("gid", "number"), ("pid", "number"), ("peer", "string"),
                ("method", "string"), ("route", "string"), ("summary", "string"), ("status", "number"), ("result", "string")]);
            Assert.Equal("unix", entry.GetProperty("transport").GetString());
            Assert.Equal("PUT", entry.GetProperty("method").GetString());
            Assert.Equal("/v1/state", entry.GetProperty("route").GetString());
            Assert.Equal(200, entry.GetProperty("status").GetInt32());
            Assert.True(entry.GetProperty("pid").GetInt32() > 0);
        }

        Assert.Equal(GetUid(), audit[0].GetProperty("uid").GetUInt32());
        Assert.Contains("add tenant gold", audit[0].GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("remove subsystem " + Nqn, audit[8].GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAndDiff_File_TextAndJsonShowChangesThenNone()
    {
        using var directory = new TempDirectory();
        var file = directory.File("state.json");
        await File.WriteAllTextAsync(file, SampleState);
        using var offloadd = await OffloaddProcess.StartAsync();
        var s = offloadd.SocketPath;

        var diff = await CtlJsonAsync(s, "diff", "-f", file);
        JsonShape.Assert(diff, JsonShape.ChangeDocument);
        Assert.Equal("offload.diff/v1", diff.GetProperty("schema").GetString());
        Assert.Equal(0, diff.GetProperty("revision").GetInt64());
        Assert.Equal(
            ["subsystem nqn.2026-01.io.offload:e2e add", "tenant gold add", "tenant bulk add", "pinnedRate bulk add", "flowRule rule 0 add"],
            diff.GetProperty("changes").EnumerateArray().Select(c => $"{c.GetProperty("kind").GetString()} {c.GetProperty("name").GetString()} {c.GetProperty("action").GetString()}"));
        var text = await CtlAsync(s, 0, "diff", "-f", file);
        Assert.Contains("+ tenant gold: app1 weight 4 reservation 2000 limit none class latency-sensitive", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("5 differences from revision 0", text.StandardOutput, StringComparison.Ordinal);

        text = await CtlAsync(s, 0, "apply", "-f", file);
        Assert.Contains("applied: revision 1, 5 changes", text.StandardOutput, StringComparison.Ordinal);
        var again = await CtlJsonAsync(s, "apply", "-f", file);
        Assert.Equal("offload.apply/v1", again.GetProperty("schema").GetString());
        Assert.Equal(1, again.GetProperty("revision").GetInt64());
        Assert.Equal(0, again.GetProperty("changes").GetArrayLength());
        text = await CtlAsync(s, 0, "diff", "-f", file);
        Assert.Contains("no differences from revision 1", text.StandardOutput, StringComparison.Ordinal);

        using var state = JsonDocument.Parse(await GetStateAsync(s));
        JsonShape.Assert(state.RootElement, JsonShape.State);
        Assert.Equal("offload.state/v1", state.RootElement.GetProperty("schema").GetString());
        JsonShape.Assert(state.RootElement.GetProperty("flowRules")[0], JsonShape.FlowRule);
        JsonShape.Assert(state.RootElement.GetProperty("pinnedRates")[0], JsonShape.PinnedRate);
    }

    private static (string?, string?, string?) Change(JsonElement document, int index)
    {
        var c = document.GetProperty("changes")[index];
        return (c.GetProperty("kind").GetString(), c.GetProperty("name").GetString(), c.GetProperty("action").GetString());
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();
}
