using System.Net.Http;
using System.Text.Json;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.Operator;

/// <summary>
/// Every operator command (nics, queues, watch, flows, capture, logs, completion) run as the real offloadctl against
/// the real offloadd and nic-fw of <see cref="OperatorRig"/>, in text and --json form; the JSON is checked against the
/// documented schema (docs/OPERATIONS.md): schema name, every field present with its type.
/// </summary>
public sealed class OperatorCommandsEndToEndTests(OperatorRig rig) : IClassFixture<OperatorRig>
{
    private static readonly TimeSpan LiveTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Nics_TextAndJson_ShowConnectedBoardWithRttAndLastSeen()
    {
        Assert.True(await OperatorRig.EventuallyAsync(async () => (await rig.CtlAsync("nics")).StandardOutput.Contains("connected", StringComparison.Ordinal), LiveTimeout), rig.Logs);
        var text = await rig.CtlAsync("nics");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains(OperatorRig.BoardId, text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(" ago", text.StandardOutput, StringComparison.Ordinal);

        var json = await rig.CtlAsync("nics", "--json");
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.StandardOutput);
        var root = document.RootElement;
        Assert.Equal("offload.nics/v1", root.GetProperty("schema").GetString());
        Schema(root, ("at", JsonValueKind.String), ("nics", JsonValueKind.Array));
        var nic = Assert.Single(root.GetProperty("nics").EnumerateArray());
        Schema(nic, ("boardId", JsonValueKind.String), ("firmwareVersion", JsonValueKind.String), ("protocolVersion", JsonValueKind.Number),
            ("endpoint", JsonValueKind.String), ("connected", JsonValueKind.True), ("connectedSince", JsonValueKind.String),
            ("lastSeen", JsonValueKind.String), ("messagesReceived", JsonValueKind.Number));
        Assert.Contains(nic.GetProperty("heartbeatRttMs").ValueKind, new[] { JsonValueKind.Number, JsonValueKind.Null });
        Assert.True(nic.GetProperty("messagesReceived").GetInt64() > 0);
    }

    [Fact]
    public async Task Queues_WhileInitiatorReads_TenantQueuesWithLevelsInTextAndJson()
    {
        JsonElement row = default;
        Assert.True(await OperatorRig.EventuallyAsync(async () =>
        {
            var r = await rig.CtlAsync("queues", "--json");
            if (r.ExitCode != 0)
            {
                return false;
            }

            using var d = JsonDocument.Parse(r.StandardOutput);
            Assert.Equal("offload.queues/v1", d.RootElement.GetProperty("schema").GetString());
            var io = d.RootElement.GetProperty("queues").EnumerateArray().Where(q => q.GetProperty("queue").GetInt32() == 1).ToList();
            if (io.Count == 0)
            {
                return false;
            }

            row = io[0].Clone();
            return true;
        }, LiveTimeout), "no I/O queue was reported" + rig.Logs);
        Schema(row, ("nic", JsonValueKind.String), ("tenant", JsonValueKind.String), ("application", JsonValueKind.Number), ("queue", JsonValueKind.Number),
            ("sqDepth", JsonValueKind.Number), ("sqSize", JsonValueKind.Number), ("sqAverage", JsonValueKind.Number), ("sqLevel", JsonValueKind.String),
            ("cqDepth", JsonValueKind.Number), ("cqSize", JsonValueKind.Number), ("cqAverage", JsonValueKind.Number), ("cqLevel", JsonValueKind.String),
            ("reportedAt", JsonValueKind.String));
        Assert.Equal(OperatorRig.BoardId, row.GetProperty("nic").GetString());
        Assert.StartsWith("app", row.GetProperty("tenant").GetString(), StringComparison.Ordinal);
        Assert.Contains(row.GetProperty("sqLevel").GetString(), new[] { "low", "medium", "high" });
        Assert.True(row.GetProperty("sqSize").GetInt32() > 0);

        var text = await rig.CtlAsync("queues");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains(row.GetProperty("tenant").GetString()!, text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("SQ level", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueuesConnections_WhileInitiatorReads_ConnectionRowWithItsFiveTupleInTextAndJson()
    {
        int port = rig.IoLocalEndPoint.Port;
        JsonElement row = default;
        Assert.True(await OperatorRig.EventuallyAsync(async () =>
        {
            var r = await rig.CtlAsync("queues", "--connections", "--json");
            if (r.ExitCode != 0)
            {
                return false;
            }

            using var d = JsonDocument.Parse(r.StandardOutput);
            Assert.Equal("offload.connections/v1", d.RootElement.GetProperty("schema").GetString());
            var mine = d.RootElement.GetProperty("connections").EnumerateArray()
                .Where(c => c.GetProperty("sourcePort").GetInt32() == port && c.GetProperty("readIops").GetDouble() > 0).ToList();
            if (mine.Count == 0)
            {
                return false;
            }

            row = Assert.Single(mine).Clone();
            return true;
        }, LiveTimeout), "the reading connection was not reported" + rig.Logs);
        Schema(row, ("nic", JsonValueKind.String), ("tenant", JsonValueKind.String), ("application", JsonValueKind.Number), ("flowId", JsonValueKind.Number),
            ("source", JsonValueKind.String), ("sourcePort", JsonValueKind.Number), ("destination", JsonValueKind.String), ("destinationPort", JsonValueKind.Number),
            ("protocol", JsonValueKind.Number), ("readIops", JsonValueKind.Number), ("writeIops", JsonValueKind.Number),
            ("readMegabytesPerSecond", JsonValueKind.Number), ("writeMegabytesPerSecond", JsonValueKind.Number), ("packetsPerSecond", JsonValueKind.Number),
            ("cpuNanosPerSecond", JsonValueKind.Number), ("sqDepth", JsonValueKind.Number), ("sqAverage", JsonValueKind.Number), ("sqLevel", JsonValueKind.String),
            ("cqDepth", JsonValueKind.Number), ("cqAverage", JsonValueKind.Number), ("cqLevel", JsonValueKind.String),
            ("latencyP50Micros", JsonValueKind.Number), ("latencyP99Micros", JsonValueKind.Number), ("latencyP999Micros", JsonValueKind.Number),
            ("reportedAt", JsonValueKind.String));
        Assert.Equal((OperatorRig.BoardId, "127.0.0.1", "127.0.0.1", 6), (row.GetProperty("nic").GetString(), row.GetProperty("source").GetString(),
            row.GetProperty("destination").GetString(), row.GetProperty("protocol").GetInt32()));
        Assert.StartsWith("app", row.GetProperty("tenant").GetString(), StringComparison.Ordinal);
        Assert.Equal(0.0, row.GetProperty("writeIops").GetDouble());
        Assert.True(row.GetProperty("flowId").GetUInt64() >= 1UL << 63);

        var text = await rig.CtlAsync("queues", "--connections");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("p99", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchJson_ThreeRefreshes_JsonLinesWithLiveTenantRates()
    {
        Assert.True(await OperatorRig.EventuallyAsync(async () =>
        {
            var once = await rig.CtlAsync("watch", "--json", "--once");
            using var d = JsonDocument.Parse(once.StandardOutput);
            return d.RootElement.GetProperty("tenants").EnumerateArray().Any(t => t.GetProperty("iops").GetDouble() > 0);
        }, LiveTimeout), "no tenant with a command rate" + rig.Logs);

        var result = await rig.CtlAsync("watch", "--json", "--count", "3", "--interval", "0.5");
        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var stamps = new HashSet<string>();
        foreach (var line in lines)
        {
            using var d = JsonDocument.Parse(line);
            var root = d.RootElement;
            Assert.Equal("offload.live/v1", root.GetProperty("schema").GetString());
            Schema(root, ("at", JsonValueKind.String), ("nicsConnected", JsonValueKind.Number), ("tenants", JsonValueKind.Array));
            stamps.Add(root.GetProperty("at").GetString()!);
            var tenant = root.GetProperty("tenants").EnumerateArray().First();
            Schema(tenant, ("nic", JsonValueKind.String), ("tenant", JsonValueKind.String), ("application", JsonValueKind.Number), ("iops", JsonValueKind.Number),
                ("bytesPerSecond", JsonValueKind.Number), ("sqDepth", JsonValueKind.Number),
                ("sqAverage", JsonValueKind.Number), ("sqLevel", JsonValueKind.String), ("cqDepth", JsonValueKind.Number),
                ("cqAverage", JsonValueKind.Number), ("cqLevel", JsonValueKind.String), ("state", JsonValueKind.String));
            Assert.Contains(tenant.GetProperty("rateLimit").ValueKind, new[] { JsonValueKind.Number, JsonValueKind.Null });
            Assert.Contains(tenant.GetProperty("latencyP99Us").ValueKind, new[] { JsonValueKind.Number, JsonValueKind.Null });
        }

        Assert.Equal(3, stamps.Count);

        var text = await rig.CtlAsync("watch", "--once");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("IOPS", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("app", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flows_AfterTraffic_FilteredByPortAndMatchInTextAndJson()
    {
        // Frames from A (port 1) to B: the learning switch installs in_port=1,eth_dst=B,eth_src=A (flood: B is unknown).
        Assert.True(await OperatorRig.EventuallyAsync(async () =>
        {
            await rig.HostA.SendToAsync(OperatorRig.Frame(1), rig.Port1);
            var r = await rig.CtlAsync("flows", "--port", "1", "--json");
            using var d = JsonDocument.Parse(r.StandardOutput);
            return d.RootElement.GetProperty("flows").GetArrayLength() > 0;
        }, LiveTimeout), "no flow on port 1" + rig.Logs);

        var json = await rig.CtlAsync("flows", "--port", "1", "--match", "eth_src=02:00:00:00:00:0a", "--json");
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal("offload.flows/v1", document.RootElement.GetProperty("schema").GetString());
        Schema(document.RootElement, ("at", JsonValueKind.String), ("truncated", JsonValueKind.False), ("flows", JsonValueKind.Array));
        var flow = Assert.Single(document.RootElement.GetProperty("flows").EnumerateArray());
        Schema(flow, ("nic", JsonValueKind.String), ("match", JsonValueKind.String), ("actions", JsonValueKind.String), ("priority", JsonValueKind.Number),
            ("packets", JsonValueKind.Number), ("bytes", JsonValueKind.Number), ("tcpFlags", JsonValueKind.String),
            ("idleTimeoutMs", JsonValueKind.Number), ("hardTimeoutMs", JsonValueKind.Number));
        Assert.Contains("in_port=1", flow.GetProperty("match").GetString(), StringComparison.Ordinal);
        Assert.Contains("eth_src=02:00:00:00:00:0a", flow.GetProperty("match").GetString(), StringComparison.Ordinal);
        Assert.True(flow.GetProperty("packets").GetInt64() >= 1);
        Assert.Equal(300_000, flow.GetProperty("idleTimeoutMs").GetInt64());

        // Port 2 has had no traffic from B, and a field the flows do not match excludes them.
        using (var none = JsonDocument.Parse((await rig.CtlAsync("flows", "--port", "2", "--json")).StandardOutput))
        {
            Assert.Equal(0, none.RootElement.GetProperty("flows").GetArrayLength());
        }

        var text = await rig.CtlAsync("flows", "--port", "1");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("in_port=1,eth_dst=02:00:00:00:00:0b,eth_src=02:00:00:00:00:0a", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("actions:", text.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("flows: none match\n", (await rig.CtlAsync("flows", "--match", "tcp,tp_dst=4420")).StandardOutput);
    }

    [Fact]
    public async Task Flows_BadMatchOrPort_OneLineErrorAndDocumentedExitCode()
    {
        var bad = await rig.CtlAsync("flows", "--match", "tp_dst=notaport");
        Assert.Equal(1, bad.ExitCode);
        var line = Assert.Single(bad.StandardErrorLines);
        Assert.StartsWith("offloadctl: match:", line, StringComparison.Ordinal);
        Assert.Contains("tp_dst", line, StringComparison.Ordinal);

        var usage = await rig.CtlAsync("flows", "--port", "0");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--port must be", usage.StandardError, StringComparison.Ordinal);

        var tenant = await rig.CtlAsync("flows", "--tenant", "bogus");
        Assert.Equal(1, tenant.ExitCode);
        Assert.Contains("tenant='bogus'", Assert.Single(tenant.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capture_KnownFramesIntoPort1_TsharkReadsThemWithNoMalformedFrame()
    {
        RequireTool("tshark");
        using var directory = new TempDirectory();
        string file = directory.File("port1.pcap");
        var capture = rig.CtlAsync("capture", "--port", "1", "--count", "10", "--timeout", "60", "-w", file, "--json");

        // Keep sending marked frames until the capture has what it asked for (it may arm after the first few).
        int marker = 100;
        while (!capture.IsCompleted && marker < 2000)
        {
            await rig.HostA.SendToAsync(OperatorRig.Frame(marker++), rig.Port1);
            await Task.Delay(50);
        }

        var result = await capture;
        Assert.True(result.ExitCode == 0, result + rig.Logs);
        using (var summary = JsonDocument.Parse(result.StandardOutput))
        {
            var root = summary.RootElement;
            Assert.Equal("offload.capture/v1", root.GetProperty("schema").GetString());
            Assert.Equal(10, root.GetProperty("frames").GetInt64());
            Assert.True(root.GetProperty("complete").GetBoolean());
            Assert.Equal(new FileInfo(file).Length, root.GetProperty("size").GetInt64());
        }

        var read = await ChildProcess.RunAsync("tshark", ["-r", file], TimeSpan.FromMinutes(2));
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.DoesNotContain("Malformed", read.StandardOutput, StringComparison.OrdinalIgnoreCase);
        var malformed = await ChildProcess.RunAsync("tshark", ["-r", file, "-Y", "_ws.malformed || _ws.expert.severity == error"], TimeSpan.FromMinutes(2));
        Assert.Equal(string.Empty, malformed.StandardOutput.Trim());
        var fields = await ChildProcess.RunAsync("tshark", ["-r", file, "-T", "fields", "-e", "eth.src", "-e", "ip.src", "-e", "udp.dstport", "-e", "data.data"], TimeSpan.FromMinutes(2));
        var rows = fields.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, rows.Length);
        foreach (var row in rows)
        {
            var columns = row.Split('\t');
            Assert.Equal("02:00:00:00:00:0a", columns[0]);
            Assert.Equal("10.0.0.1", columns[1]);
            Assert.Equal("40001", columns[2]);
            Assert.StartsWith(Convert.ToHexStringLower("offload-capture-"u8), columns[3], StringComparison.Ordinal);
        }

        // offloadd logged how the capture ended (event 3401), readable through offloadctl logs.
        Assert.True(await OperatorRig.EventuallyAsync(
            async () => (await rig.CtlAsync("logs")).StandardOutput.Contains("Offload.Host.Capture[3401]", StringComparison.Ordinal), LiveTimeout), rig.Logs);
        Assert.Contains("10 frames streamed", (await rig.CtlAsync("logs")).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capture_NoSuchNic_OneLineErrorExitOne()
    {
        using var directory = new TempDirectory();
        var result = await rig.CtlAsync("capture", "--port", "1", "--count", "1", "--nic", "no-such-board", "-w", directory.File("x.pcap"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'no-such-board' is not connected", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_TextJsonAndLevel_ShowOffloaddRecords()
    {
        Assert.True(await OperatorRig.EventuallyAsync(async () => (await rig.CtlAsync("logs")).StandardOutput.Contains("Mailbox connected to NIC " + OperatorRig.BoardId, StringComparison.Ordinal), LiveTimeout), rig.Logs);
        var json = await rig.CtlAsync("logs", "--json", "--level", "information");
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.StandardOutput);
        var root = document.RootElement;
        Assert.Equal("offload.logs/v1", root.GetProperty("schema").GetString());
        Schema(root, ("next", JsonValueKind.Number), ("dropped", JsonValueKind.Number), ("records", JsonValueKind.Array));
        var record = root.GetProperty("records").EnumerateArray().First(r => r.GetProperty("message").GetString()!.Contains("Mailbox connected", StringComparison.Ordinal));
        Schema(record, ("sequence", JsonValueKind.Number), ("timestamp", JsonValueKind.String), ("level", JsonValueKind.String),
            ("category", JsonValueKind.String), ("eventId", JsonValueKind.Number), ("message", JsonValueKind.String), ("exception", JsonValueKind.Null));
        Assert.Equal("Offload.Host.Mailbox", record.GetProperty("category").GetString());

        var errorsOnly = await rig.CtlAsync("logs", "--level", "critical");
        Assert.Equal(0, errorsOnly.ExitCode);
        Assert.DoesNotContain("Mailbox connected", errorsOnly.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, (await rig.CtlAsync("logs", "--level", "loud")).ExitCode);
    }

    [Fact]
    public async Task Metrics_RealOffloadd_PromtoolAcceptsAndTenantSeriesPresent()
    {
        RequireTool("promtool");
        using var http = new HttpClient();
        string text = string.Empty;
        Assert.True(await OperatorRig.EventuallyAsync(async () =>
        {
            text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{rig.MetricsPort}/metrics"));
            return text.Contains("offload_tenant_io_rate_per_second{", StringComparison.Ordinal);
        }, LiveTimeout), "no tenant series in /metrics:\n" + text + rig.Logs);
        Assert.Contains("offload_host_nic_connected 1", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE offload_host_mailbox_messages_total counter", text, StringComparison.Ordinal);
        Assert.Contains("offload_nic_cpu_ratio{", text, StringComparison.Ordinal); // nic-fw's CPU, and its telemetry thread's
        Assert.Contains("offload_nic_telemetry_cpu_ratio{", text, StringComparison.Ordinal);
        Assert.Contains("offload_host_controller_thresholds_folded_total{", text, StringComparison.Ordinal);

        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("metrics.txt"), text);
        var check = await ChildProcess.RunAsync("/bin/sh", ["-c", $"promtool check metrics < {directory.File("metrics.txt")}"], TimeSpan.FromMinutes(1));
        Assert.True(check.ExitCode == 0, check + "\n" + text);
    }

    [Fact]
    public async Task CompletionBash_ValidScript_CompletesSubcommandAndOption()
    {
        var script = await rig.CtlAsync("completion", "bash");
        Assert.Equal(0, script.ExitCode);
        using var directory = new TempDirectory();
        string path = directory.File("offloadctl.bash");
        File.WriteAllText(path, script.StandardOutput);
        var syntax = await ChildProcess.RunAsync("bash", ["-n", path], TimeSpan.FromMinutes(1));
        Assert.True(syntax.ExitCode == 0, syntax.ToString());

        string ctl = RepositoryLayout.Offloadctl;
        string Complete(string line) => $$"""
            source {{path}}
            COMP_LINE='{{line}}'; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$COMP_LINE"; COMP_WORDS[0]={{ctl}}
            [[ "$COMP_LINE" == *' ' ]] && COMP_WORDS+=('')
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _offloadctl_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var sub = await ChildProcess.RunAsync("bash", ["-c", Complete("offloadctl wat")], TimeSpan.FromMinutes(1));
        Assert.True(sub.ExitCode == 0, sub.ToString());
        Assert.Equal(["watch"], sub.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var option = await ChildProcess.RunAsync("bash", ["-c", Complete("offloadctl capture --cou")], TimeSpan.FromMinutes(1));
        Assert.Contains("--count", option.StandardOutput.Split('\n'), StringComparer.Ordinal);
    }

    private static void Schema(JsonElement element, params (string Name, JsonValueKind Kind)[] fields)
    {
        foreach (var (name, kind) in fields)
        {
            Assert.True(element.TryGetProperty(name, out var value), $"field '{name}' is missing in {element}");
            Assert.True(value.ValueKind == kind, $"field '{name}' is {value.ValueKind}, documented as {kind}, in {element}");
        }
    }

    private static void RequireTool(string name) =>
        Assert.True(File.Exists("/usr/bin/" + name), $"{name} is required for this test: apt-get install -y {(name == "promtool" ? "prometheus" : name)}");
}
