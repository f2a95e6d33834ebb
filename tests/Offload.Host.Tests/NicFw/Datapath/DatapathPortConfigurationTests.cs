using System.Net;
using System.Net.Sockets;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.NicFw.Datapath;

/// <summary>Real nic-fw processes with bad <c>Datapath:Ports</c> entries: one line naming the key, exit 78.</summary>
public sealed class DatapathPortConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private async Task<ProcessResult> RunNicFwAsync(params string[] arguments) =>
        await ChildProcess.RunAsync(RepositoryLayout.NicFw, [$"--Mailbox:Endpoint=unix://{_directory.File("nic.sock")}", .. arguments], OffloaddProcess.StartTimeout);

    [Theory]
    [InlineData("Kind=bogus", "", "Datapath:Ports:0:Kind='bogus' is invalid: use udp, dgram, stream, tap or afpacket.")]
    [InlineData("Kind=stream", "Listen=relative.sock", "Datapath:Ports:0:Listen='relative.sock' is invalid for kind stream")]
    [InlineData("Kind=stream", "Listen=unix:/no/such/dir/p.sock", "Datapath:Ports:0:Listen='unix:/no/such/dir/p.sock' is invalid: directory /no/such/dir does not exist")]
    [InlineData("Kind=udp", "Listen=localhost", "Datapath:Ports:0:Listen='localhost' is invalid for kind udp")]
    [InlineData("Kind=tap", "Interface=much-too-long-name0", "Datapath:Ports:0:Interface='much-too-long-name0' is invalid for kind tap")]
    [InlineData("Kind=afpacket", "Interface=nosuchif0", "Datapath:Ports:0:Interface='nosuchif0' does not exist")]
    [InlineData("Kind=stream", "Mtu=67", "Datapath:Ports:0:Mtu=67 is out of range: use 68..9216 (default 1500; 9000 for jumbo frames).")]
    [InlineData("Kind=udp", "Mtu=9217", "Datapath:Ports:0:Mtu=9217 is out of range: use 68..9216")]
    public async Task RunAsync_BadPortEntry_OneLineNamingTheKeyExit78(string kind, string setting, string expected)
    {
        string[] arguments = setting.Length == 0
            ? ["--Datapath:Ports:0:No=1", $"--Datapath:Ports:0:{kind}"]
            : ["--Datapath:Ports:0:No=1", $"--Datapath:Ports:0:{kind}", $"--Datapath:Ports:0:{setting}"];

        var result = await RunNicFwAsync(arguments);

        Assert.True(result.ExitCode == 78, result.ToString());
        var line = Assert.Single(result.StandardErrorLines);
        Assert.StartsWith("nic-fw: invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TwoPortsWithOneNumber_Rejected()
    {
        var result = await RunNicFwAsync(
            "--Datapath:Ports:0:No=1", "--Datapath:Ports:0:Kind=stream", $"--Datapath:Ports:0:Listen=unix:{_directory.File("a.sock")}",
            "--Datapath:Ports:1:No=1", "--Datapath:Ports:1:Kind=stream", $"--Datapath:Ports:1:Listen=unix:{_directory.File("b.sock")}");

        Assert.True(result.ExitCode == 78, result.ToString());
        Assert.Contains("Datapath:Ports:1:No=1 is used by another port", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StreamListenAddressInUse_OneLineNamingTheKeyExit78()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        var endPoint = taken.LocalEndPoint!.ToString();

        var result = await RunNicFwAsync("--Datapath:Ports:0:No=1", "--Datapath:Ports:0:Kind=stream", $"--Datapath:Ports:0:Listen={endPoint}");

        Assert.True(result.ExitCode == 78, result.ToString());
        var line = Assert.Single(result.StandardErrorLines);
        Assert.Contains($"Datapath:Ports:0:Listen='{endPoint}' (kind stream) cannot be opened", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StreamPortOnUnixSocket_StartsAndListens()
    {
        var path = _directory.File("p1.sock");
        using var nic = await NicFwProcess.StartAsync(
            $"--Mailbox:Endpoint=unix://{_directory.File("nic2.sock")}",
            "--Datapath:Ports:0:No=1", "--Datapath:Ports:0:Kind=stream", $"--Datapath:Ports:0:Listen=unix:{path}", "--Datapath:Ports:0:Mtu=9000");

        using var peer = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await peer.ConnectAsync(new UnixDomainSocketEndPoint(path));
        Assert.Contains("Datapath port 1: stream stream:unix:", nic.Process.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(", MTU 9000", nic.Process.StandardOutput, StringComparison.Ordinal); // a jumbo-frame port: frame buffers grown to it
        Assert.Equal(0, await nic.StopAsync());
    }
}
