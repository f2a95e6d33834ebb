using System.Text.Json;
using Offload.Cli.Status;
using Offload.Contracts.Management;

namespace Offload.Host.Tests.Cli.Status;

public sealed class StatusViewTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static StatusDocument TwoNics() => new(
        ManagementApi.StatusSchema,
        3723,
        Started,
        "1.0.0+abc",
        [
            new NicStatus("bf3-a", "2.0.1", 1, "tcp://127.0.0.1:7400", Started.AddMinutes(1), 0.412, ["flows"]),
            new NicStatus("qemu-0", "1.0.0", 2, "unix:/run/offload/nic.sock", Started.AddMinutes(2), null, []),
        ]);

    [Fact]
    public void WriteText_TwoNics_ShowsEveryColumnForEachNic()
    {
        using var output = new StringWriter();

        StatusView.WriteText(TwoNics(), Started.AddHours(1).AddMinutes(2).AddSeconds(3), output);

        var text = output.ToString();
        Assert.StartsWith("offloadd 1.0.0+abc, up 1h 02m 03s (since 2026-11-21 12:00:00Z)", text, StringComparison.Ordinal);
        Assert.Contains("NICs: 2 connected", text, StringComparison.Ordinal);
        foreach (var expected in new[] { "Board", "Firmware", "Protocol", "Connected since", "Heartbeat RTT",
            "bf3-a", "2.0.1", "v1", "2026-11-21 12:01:00Z (1h 01m 03s ago)", "0.412 ms",
            "qemu-0", "1.0.0", "v2", "2026-11-21 12:02:00Z (1h 00m 03s ago)" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal); // no ANSI escapes into a pipe
    }

    [Fact]
    public void WriteText_MarkupLikeBoardText_IsPrintedLiterally()
    {
        var status = TwoNics() with { Nics = [new NicStatus("[red]x[/]", "[bold]", 1, "e", Started, 1, [])] };
        using var output = new StringWriter();

        StatusView.WriteText(status, Started, output);

        Assert.Contains("[red]x[/]", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteJson_TwoNics_RoundTripsAndKeepsNullRtt()
    {
        using var output = new StringWriter();
        var status = TwoNics();

        StatusView.WriteJson(status, output);

        var json = output.ToString();
        Assert.Contains("\"heartbeatRttMs\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"version\": \"1.0.0+abc\"", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize(json, ManagementJsonContext.Default.StatusDocument)!;
        Assert.Equal(status.Nics.Count, back.Nics.Count);
        Assert.Equal(status.Nics[0].BoardId, back.Nics[0].BoardId);
        Assert.Equal(status.Nics[0].HeartbeatRttMs, back.Nics[0].HeartbeatRttMs);
        Assert.Equal(status.Nics[1].ConnectedSince, back.Nics[1].ConnectedSince);
        Assert.Equal(status.Nics[0].Capabilities, back.Nics[0].Capabilities);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(60, "1m 00s")]
    [InlineData(3599, "59m 59s")]
    [InlineData(3600, "1h 00m 00s")]
    [InlineData(86399, "23h 59m 59s")]
    [InlineData(86400, "1d 00h 00m")]
    [InlineData(-5, "0s")]
    public void FormatDuration_Boundaries_ShortestReadableForm(int seconds, string expected)
    {
        Assert.Equal(expected, StatusView.FormatDuration(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(null, "-")]
    [InlineData(0.0, "0.000 ms")]
    [InlineData(9.9994, "9.999 ms")]
    [InlineData(10.0, "10.0 ms")]
    [InlineData(1234.56, "1234.6 ms")]
    public void FormatRtt_Values_Formatted(double? milliseconds, string expected)
    {
        Assert.Equal(expected, StatusView.FormatRtt(milliseconds));
    }
}
