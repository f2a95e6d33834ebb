using System.Text.Json;
using Offload.Cli.Nics;
using Offload.Contracts.Management;

namespace Offload.Host.Tests.Cli.Nics;

public class NicsCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);

    private static NicsDocument Document() => new(ManagementApi.NicsSchema, Now,
    [
        new NicRow("bf3-a", "1.0.0", 1, "tcp://127.0.0.1:7420", true, Now.AddMinutes(-5), 0.4, Now.AddSeconds(-1), 1234, 12.34, 4.2),
        new NicRow(null, null, 0, "tcp://10.0.0.9:7420", false, null, null, null, 0),
    ]);

    [Fact]
    public void WriteText_ConnectedAndNeverConnected_OneRowEachWithStateAndLastSeen()
    {
        var text = Text(Document());
        Assert.Contains("bf3-a", text, StringComparison.Ordinal);
        Assert.Contains("1s ago", text, StringComparison.Ordinal);
        Assert.Contains("disconnected", text, StringComparison.Ordinal);
        Assert.Contains("never", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Datapath:", text, StringComparison.Ordinal); // no /v1/datapath: no section
    }

    /// <summary>nic-fw's CPU and its telemetry thread's (percent of one core, from the last flow metadata period) are
    /// columns; a NIC that has not reported them shows "-".</summary>
    [Fact]
    public void WriteText_CpuAndTelemetryCpu_ShownAsPercentOfACore()
    {
        var text = Text(Document());
        Assert.Contains("Telemetry CPU", text, StringComparison.Ordinal);
        Assert.Contains("12.3%", text, StringComparison.Ordinal);
        Assert.Contains("4.2%", text, StringComparison.Ordinal);
        Assert.Equal("-", NicsCommand.Percent(null));
        Assert.Equal("0.1%", NicsCommand.Percent(0.05));
    }

    [Fact]
    public void WriteText_DatapathDocumentPresent_CountersListedByPath()
    {
        using var datapath = JsonDocument.Parse("""{ "schema": "offload.datapath/v1", "nics": [ { "boardId": "bf3-a", "rxPackets": 42, "ports": [ { "port": 1, "drops": 3 } ] } ] }""");
        var text = Text(Document(), datapath);
        Assert.Contains("Datapath:", text, StringComparison.Ordinal);
        Assert.Contains("nics[bf3-a].rxPackets", text, StringComparison.Ordinal);
        Assert.Contains("nics[bf3-a].ports[1].drops", text, StringComparison.Ordinal);
        Assert.DoesNotContain("offload.datapath/v1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteText_NoEndpoints_SaysHowToConfigureOne()
    {
        Assert.Contains("Mailbox:Endpoints", Text(new NicsDocument(ManagementApi.NicsSchema, Now, [])), StringComparison.Ordinal);
    }

    private static string Text(NicsDocument nics, JsonDocument? datapath = null)
    {
        using var output = new StringWriter();
        NicsCommand.WriteText(nics, datapath, output);
        return output.ToString();
    }
}
