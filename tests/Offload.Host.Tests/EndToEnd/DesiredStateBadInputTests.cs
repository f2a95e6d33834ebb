using System.Text.Json;
using Offload.Testing.Processes;
using static Offload.Host.Tests.EndToEnd.StateHarness;

namespace Offload.Host.Tests.EndToEnd;

/// <summary>Bad input to the state commands: one line saying what to do, the documented exit code, nothing changed.</summary>
public sealed class DesiredStateBadInputTests
{
    [Fact]
    public async Task BadInput_EachCase_OneLineDocumentedExitCodeAndNothingChanged()
    {
        using var directory = new TempDirectory();
        var good = directory.File("good.json");
        await File.WriteAllTextAsync(good, SampleState);
        using var offloadd = await OffloaddProcess.StartAsync();
        var s = offloadd.SocketPath;
        await CtlAsync(s, 0, "apply", "-f", good);
        var before = await GetStateAsync(s);

        await Refused(s, 1, "tenant 'nobody' not found; list tenants with 'offloadctl tenants list'", "tenants", "set-sla", "nobody", "--limit", "5");
        await Refused(s, 1, "tenant 'nobody' not found", "rates", "pin", "nobody", "--iops", "5");
        await Refused(s, 1, "tenant 'gold': reservation -5 is out of range; use 0..1000000000000 cost units/s; nothing was changed", "tenants", "set-sla", "gold", "--reservation", "-5");
        await Refused(s, 1, "tenant 'gold': limit 1000000000000000 is out of range", "rates", "set", "gold", "--limit", "1e15");
        await Refused(s, 1, "pinned rate of tenant 'bulk': 1000000000000 IOPS is out of range; use 1..100000000", "rates", "pin", "bulk", "--iops", "1000000000000");
        await Refused(s, 1, "pinned rate of tenant 'bulk': -1 IOPS is out of range", "rates", "pin", "bulk", "--iops", "-1");
        await Refused(s, 1, "tenant 'gold': limit 100 is below reservation 2000; raise the limit or lower the reservation", "tenants", "set-sla", "gold", "--limit", "100");
        await Refused(s, 1, "tenant 'gold' already exists", "tenants", "add", "gold", "--app", "7");
        await Refused(s, 2, "--namespace 'x' is not NSID:SIZE", "subsystems", "add", "nqn.2026-01.io.offload:y", "--namespace", "x");
        await Refused(s, 1, "namespace 1: block size 1024 is not supported; use 512 or 4096", "subsystems", "add", "nqn.2026-01.io.offload:y", "--namespace", "1:1M:1024");

        var malformed = directory.File("malformed.json");
        await File.WriteAllTextAsync(malformed, "{\n  \"schema\": \"offload.state/v1\",\n  \"tenants\": [ { \"name\": \"gold\" \n");
        await Refused(s, 1, $"{malformed}: invalid JSON at line", "apply", "-f", malformed);
        await Refused(s, 1, "fix the file and re-run (nothing was changed)", "diff", "-f", malformed);
        var typo = directory.File("typo.json");
        await File.WriteAllTextAsync(typo, SampleState.Replace("\"reservation\": 2000", "\"reservation\": 2000, \"limt\": 5", StringComparison.Ordinal));
        await Refused(s, 1, "limt", "apply", "-f", typo);

        // a change based on a stale revision (someone else changed the state since the operator's diff)
        var stale = directory.File("stale.json");
        await File.WriteAllTextAsync(stale, SampleState.Replace("\"schema\": \"offload.state/v1\",", "\"schema\": \"offload.state/v1\", \"revision\": 7,", StringComparison.Ordinal)
            .Replace("\"weight\": 4", "\"weight\": 5", StringComparison.Ordinal));
        await Refused(s, 4, "the desired state changed since revision 7 (it is now 1); nothing was changed: re-run 'offloadctl diff' and 'offloadctl apply'", "apply", "-f", stale);

        Assert.Equal(before, await GetStateAsync(s));
        var unreachable = await Offloadctl.RunAsync("tenants", "list", "--socket", directory.File("nobody.sock"));
        Assert.Equal(3, unreachable.ExitCode);
        Assert.Single(unreachable.StandardErrorLines);
    }

    [Fact]
    public async Task Apply_TwoConcurrentChangesFromTheSameRevision_OneAppliedOtherConflictsWithExitFour()
    {
        using var directory = new TempDirectory();
        using var offloadd = await OffloaddProcess.StartAsync();
        var s = offloadd.SocketPath;
        var a = directory.File("a.json");
        var b = directory.File("b.json");
        await File.WriteAllTextAsync(a, SampleState.Replace("\"schema\": \"offload.state/v1\",", "\"schema\": \"offload.state/v1\", \"revision\": 0,", StringComparison.Ordinal));
        await CtlAsync(s, 0, "apply", "-f", a); // revision 1
        var basedOn1 = SampleState.Replace("\"schema\": \"offload.state/v1\",", "\"schema\": \"offload.state/v1\", \"revision\": 1,", StringComparison.Ordinal);
        await File.WriteAllTextAsync(a, basedOn1.Replace("\"weight\": 4", "\"weight\": 6", StringComparison.Ordinal));
        await File.WriteAllTextAsync(b, basedOn1.Replace("\"weight\": 4", "\"weight\": 8", StringComparison.Ordinal));

        var results = await Task.WhenAll(
            Offloadctl.RunAsync("apply", "-f", a, "--socket", s),
            Offloadctl.RunAsync("apply", "-f", b, "--socket", s));

        Assert.Equal([0, 4], results.Select(r => r.ExitCode).Order());
        var loser = results.Single(r => r.ExitCode == 4);
        Assert.Contains("re-run 'offloadctl diff' and 'offloadctl apply'", Assert.Single(loser.StandardErrorLines), StringComparison.Ordinal);
        var winner = results.Single(r => r.ExitCode == 0);
        var expectedWeight = winner == results[0] ? 6 : 8;
        var tenants = await CtlJsonAsync(s, "tenants", "list");
        Assert.Equal(2, tenants.GetProperty("revision").GetInt64());
        Assert.Equal(expectedWeight, tenants.GetProperty("tenants")[0].GetProperty("weight").GetDouble());
    }

    private static async Task Refused(string socket, int exitCode, string expected, params string[] arguments)
    {
        var result = await Offloadctl.RunAsync([.. arguments, "--socket", socket]);
        Assert.True(result.ExitCode == exitCode, $"offloadctl {string.Join(' ', arguments)}: expected exit {exitCode}: {result}");
        var line = Assert.Single(result.StandardErrorLines);
        Assert.StartsWith("offloadctl: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }
}
