using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Offload.Emulation.Qos;

/// <summary>
/// A real nic-fw (NVMe/TCP target on loopback with a core capacity cap) and a real offloadd (mailbox over a Unix
/// socket, desired state from a file written before it starts) for one mode of a real-time QoS run. Everything lives
/// in a private temporary directory, removed at dispose.
/// </summary>
internal sealed class QosStack : IAsyncDisposable
{
    public const string SubsystemNqn = "nqn.2026-01.io.offload:qos";
    private const string NicStarted = "nic-fw started: board ";
    private readonly string _directory;
    private readonly HttpClient _api;
    private ChildProcessHandle? _nic;
    private ChildProcessHandle? _daemon;

    private QosStack(string directory, IPEndPoint nvme)
    {
        _directory = directory;
        NvmeEndPoint = nvme;
        var socketPath = Path.Combine(directory, "offloadd.sock");
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _api = new HttpClient(handler) { BaseAddress = new Uri("http://offloadd/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The NVMe/TCP target.</summary>
    public IPEndPoint NvmeEndPoint { get; }

    /// <summary>Starts nic-fw, then offloadd, and returns once offloadd has the NIC connected.</summary>
    /// <param name="offloaddArguments">Extra offloadd configuration, e.g. <c>--History:Enabled=false</c>.</param>
    public static async Task<QosStack> StartAsync(QosHarnessOptions options, QosMode mode, string stateJson, IReadOnlyList<string> offloaddArguments, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("offload-qos-").FullName;
        var stack = new QosStack(directory, new IPEndPoint(IPAddress.Loopback, FreePort()));
        try
        {
            await stack.StartProcessesAsync(options, mode, stateJson, offloaddArguments, cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET on offloadd's management API; the body.</summary>
    public Task<string> GetAsync(string route, CancellationToken cancellationToken) => _api.GetStringAsync(new Uri(route, UriKind.Relative), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }

        if (_nic is not null)
        {
            await _nic.DisposeAsync();
        }

        _api.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open: left in the temp directory
        }
    }

    private async Task StartProcessesAsync(QosHarnessOptions options, QosMode mode, string stateJson, IReadOnlyList<string> offloaddArguments, CancellationToken cancellationToken)
    {
        var mailbox = "unix://" + Path.Combine(_directory, "nic.sock");
        var arbitration = mode == QosMode.Offload ? "WeightedRoundRobin" : "RoundRobin";
        string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        _nic = ChildProcessHandle.Start("nic-fw", options.NicFwPath,
        [
            "--Nic:BoardId=qos-0",
            $"--Mailbox:Endpoint={mailbox}",
            I($"--Nvme:Listen={NvmeEndPoint}"),
            I($"--Nvme:CoreCapacityIops={options.CapacityIops}"),
            $"--Nvme:Arbitration={arbitration}",
            $"--Nvme:WorkConserving={mode == QosMode.Offload}",
            I($"--Nvme:MaxIoQueues={QosHarnessOptions.MaxQueuesPerTenant}"),
            "--Nvme:MaxQueueEntries=256",
            $"--Nvme:Subsystems:0:Nqn={SubsystemNqn}",
            "--Nvme:Subsystems:0:AllowAnyHost=true",
            "--Nvme:Subsystems:0:Namespaces:0:Nsid=1",
            I($"--Nvme:Subsystems:0:Namespaces:0:Size={QosHarnessOptions.NamespaceBytes}"),
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Offload.Nic=Information",
        ]);
        await _nic.WaitForLineAsync(NicStarted, options.StartTimeout, cancellationToken);

        var statePath = Path.Combine(_directory, "state.json");
        await File.WriteAllTextAsync(statePath, stateJson, new UTF8Encoding(false), cancellationToken);
        _daemon = ChildProcessHandle.Start("offloadd", options.OffloaddPath,
        [
            "--Management:SocketPath=" + Path.Combine(_directory, "offloadd.sock"),
            "--Mailbox:Endpoints:0=" + mailbox,
            "--State:Path=" + statePath,
            "--State:AuditLogPath=" + Path.Combine(_directory, "audit.jsonl"),
            "--History:Path=" + Path.Combine(_directory, "history.db"),
            I($"--Controller:InitialCapacity={options.CapacityIops}"),
            "--Logging:LogLevel:Default=Warning",
            .. offloaddArguments,
        ]);
        var deadline = DateTime.UtcNow + options.StartTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_daemon.HasExited)
            {
                throw new InvalidOperationException($"offloadd exited while starting; its last output:{Environment.NewLine}{_daemon.Tail}");
            }

            try
            {
                var status = await GetAsync("v1/status", cancellationToken);
                if (status.Contains("\"boardId\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // slow answer under load
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"offloadd did not see nic-fw within {options.StartTimeout.TotalSeconds:F0} s; offloadd:{Environment.NewLine}{_daemon.Tail}{Environment.NewLine}nic-fw:{Environment.NewLine}{_nic.Tail}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
