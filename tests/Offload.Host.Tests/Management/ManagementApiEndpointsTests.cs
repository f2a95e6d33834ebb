using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Offload.Contracts.Management;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.Management;

/// <summary>The management API routes as a real offloadd serves them.</summary>
public sealed class ManagementApiEndpointsTests
{
    [Fact]
    public async Task MapManagementApi_TcpPortConfigured_ServesStatusOnLoopback()
    {
        var port = FreeTcpPort();
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Management:TcpPort={port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var status = await http.GetFromJsonAsync("v1/status", ManagementJsonContext.Default.StatusDocument);

        Assert.NotNull(status);
        Assert.Equal(ManagementApi.StatusSchema, status.Schema);
        Assert.Empty(status.Nics);
    }

    [Fact]
    public async Task MapManagementApi_UnknownRoute_Returns404WithErrorDocument()
    {
        var port = FreeTcpPort();
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Management:TcpPort={port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using var response = await http.GetAsync(new Uri("v1/nope", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync(ManagementJsonContext.Default.ErrorDocument);
        Assert.NotNull(error);
        Assert.Equal(ManagementApi.ErrorSchema, error.Schema);
        Assert.Equal("not_found", error.Code);
        Assert.Contains("/v1/nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TcpPortInUse_ExitsOneWithOneLineOnStderr()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        using var directory = new TempDirectory();

        var result = await ChildProcess.RunAsync(
            RepositoryLayout.Offloadd,
            [$"--Management:SocketPath={directory.File("o.sock")}", $"--Management:TcpPort={port}"],
            OffloaddProcess.StartTimeout);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.StandardErrorLines);
        Assert.StartsWith("offloadd: cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
