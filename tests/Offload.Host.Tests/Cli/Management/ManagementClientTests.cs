using Offload.Testing.Processes;

namespace Offload.Host.Tests.Cli.Management;

/// <summary>The real offloadctl against a simulated daemon that answers with errors or foreign documents.</summary>
public sealed class ManagementClientTests
{
    private static async Task<ProcessResult> StatusAgainstAsync(int statusCode, string reason, string body, params string[] extra)
    {
        using var directory = new TempDirectory();
        var path = directory.File("sim.sock");
        await using var server = new SimulatedManagementServer(path, statusCode, reason, body);
        return await Offloadctl.RunAsync(["status", "--socket", path, .. extra]);
    }

    [Fact]
    public async Task GetStatusAsync_ErrorDocument_ExitsOneWithItsMessage()
    {
        var result = await StatusAgainstAsync(
            500, "Internal Server Error", """{"schema":"offload.error/v1","code":"internal","message":"registry unavailable; restart offloadd"}""");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("offloadctl: registry unavailable; restart offloadd", Assert.Single(result.StandardErrorLines));
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task GetStatusAsync_ErrorWithoutDocument_ExitsOneNamingRouteAndStatus()
    {
        var result = await StatusAgainstAsync(502, "Bad Gateway", "not json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("offloadctl: offloadd answered GET /v1/status with HTTP 502", Assert.Single(result.StandardErrorLines));
    }

    [Fact]
    public async Task GetStatusAsync_Conflict_ExitsFour()
    {
        var result = await StatusAgainstAsync(
            409, "Conflict", """{"schema":"offload.error/v1","code":"conflict","message":"changed concurrently; re-run"}""");

        Assert.True(result.ExitCode == 4, result.ToString());
    }

    [Fact]
    public async Task GetStatusAsync_OtherSchema_ExitsOneNamingBothSchemas()
    {
        var result = await StatusAgainstAsync(
            200, "OK", """{"schema":"offload.status/v9","uptimeSeconds":1,"startedAt":"2026-11-21T12:00:00Z","version":"9","nics":[]}""", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.StandardErrorLines);
        Assert.Contains("'offload.status/v9'", line, StringComparison.Ordinal);
        Assert.Contains("'offload.status/v1'", line, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task GetStatusAsync_MalformedJson_ExitsOne()
    {
        var result = await StatusAgainstAsync(200, "OK", """{"schema": """);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("malformed JSON", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatusAsync_DocumentWithNic_TextShowsIt()
    {
        var result = await StatusAgainstAsync(
            200,
            "OK",
            """
            {"schema":"offload.status/v1","uptimeSeconds":65,"startedAt":"2026-11-21T12:00:00Z","version":"1.0.0",
             "nics":[{"boardId":"qemu-3","firmwareVersion":"4.5.6","protocolVersion":1,"endpoint":"tcp://127.0.0.1:7400",
                      "connectedSince":"2026-11-21T12:00:05Z","heartbeatRttMs":0.25,"capabilities":["flows"]}]}
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("up 1m 05s", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("NICs: 1 connected", result.StandardOutput, StringComparison.Ordinal);
        foreach (var expected in new[] { "qemu-3", "4.5.6", "v1", "2026-11-21 12:00:05Z", "0.250 ms" })
        {
            Assert.Contains(expected, result.StandardOutput, StringComparison.Ordinal);
        }
    }
}
