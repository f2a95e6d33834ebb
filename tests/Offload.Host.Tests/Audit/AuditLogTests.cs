using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Offload.Testing.Processes;
using static Offload.Host.Tests.EndToEnd.StateHarness;

namespace Offload.Host.Tests.Audit;

/// <summary>The audit log records who made each mutating call: SO_PEERCRED on the Unix socket, the address on TCP.</summary>
public sealed class AuditLogTests
{
    [Fact]
    public async Task Append_UnprivilegedGroupMemberAndTcpClient_RecordsPeerUidGidPidAndTcpAddressAndFailures()
    {
        using var directory = new TempDirectory();
        File.SetUnixFileMode(directory.Path, (UnixFileMode)0b111_101_101);
        var port = FreeTcpPort();
        var auditPath = directory.File("audit.jsonl");
        using var offloadd = await OffloaddProcess.StartAsync(directory.File("o.sock"), "--Management:SocketGroup=nogroup", $"--Management:TcpPort={port}",
            $"--State:Path={directory.File("state.json")}", $"--State:AuditLogPath={auditPath}");

        // as nobody:nogroup through the socket (group member): allowed, and recorded with nobody's uid
        var asNobody = await Offloadctl.RunAsUserAsync("nobody", "nogroup", "tenants", "add", "t1", "--app", "1", "--socket", offloadd.SocketPath);
        Assert.True(asNobody.ExitCode == 0, asNobody.ToString());
        // a refused change is recorded too
        var refused = await Offloadctl.RunAsUserAsync("nobody", "nogroup", "rates", "pin", "t1", "--iops", "0", "--socket", offloadd.SocketPath);
        Assert.True(refused.ExitCode == 1, refused.ToString());

        // through TCP on 127.0.0.1
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var content = new StringContent("""{"schema":"offload.state/v1","tenants":[{"name":"t2","application":2}]}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PutAsync(new Uri("v1/state", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var lines = await File.ReadAllLinesAsync(auditPath);
        Assert.Equal(3, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        using var third = JsonDocument.Parse(lines[2]);
        var (user, group) = (first.RootElement, second.RootElement);
        Assert.Equal("unix", user.GetProperty("transport").GetString());
        Assert.Equal(65534u, user.GetProperty("uid").GetUInt32());
        Assert.Equal(65534u, user.GetProperty("gid").GetUInt32());
        Assert.True(user.GetProperty("pid").GetInt32() > 1);
        Assert.Equal(200, user.GetProperty("status").GetInt32());
        Assert.Contains("add tenant t1", user.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.UtcNow - user.GetProperty("time").GetDateTimeOffset() < TimeSpan.FromMinutes(10));

        Assert.Equal(65534u, group.GetProperty("uid").GetUInt32());
        Assert.Equal(400, group.GetProperty("status").GetInt32());
        Assert.Contains("0 IOPS is out of range", group.GetProperty("result").GetString(), StringComparison.Ordinal);

        var tcp = third.RootElement;
        Assert.Equal("tcp", tcp.GetProperty("transport").GetString());
        Assert.Equal("tcp:127.0.0.1", tcp.GetProperty("peer").GetString());
        Assert.Equal(JsonValueKind.Null, tcp.GetProperty("uid").ValueKind);
        Assert.Contains("add tenant t2", tcp.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("remove tenant t1", tcp.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ReadOnlyCalls_NotAudited()
    {
        using var offloadd = await OffloaddProcess.StartAsync();
        await CtlAsync(offloadd.SocketPath, 0, "tenants", "list");
        await CtlAsync(offloadd.SocketPath, 0, "rates", "show");
        Assert.False(File.Exists(offloadd.SocketPath + ".audit.jsonl"));
    }
}
