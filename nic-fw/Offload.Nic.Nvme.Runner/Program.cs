using System.Net;
using Microsoft.Extensions.Logging;
using Offload.Nic.Nvme;
using Offload.Nic.Nvme.Subsystem;

// nvmf-target --listen 0.0.0.0:4420 --config target.json
// Standalone host for NvmeTcpTarget (the nic-fw process hosts the same type). Ctrl-C / SIGTERM stops it.
string listen = "0.0.0.0:4420";
string? configPath = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--listen" when i + 1 < args.Length:
            listen = args[++i];
            break;
        case "--config" when i + 1 < args.Length:
            configPath = args[++i];
            break;
        default:
            await Console.Error.WriteLineAsync("usage: nvmf-target [--listen ADDR:PORT] --config target.json");
            return 2;
    }
}

if (configPath is null)
{
    await Console.Error.WriteLineAsync("nvmf-target: --config is required (see target.example.json next to the binary).");
    return 2;
}

if (!IPEndPoint.TryParse(listen, out var endPoint))
{
    await Console.Error.WriteLineAsync($"nvmf-target: --listen '{listen}' is not ADDR:PORT; use e.g. 0.0.0.0:4420.");
    return 2;
}

TargetConfig config;
try
{
    config = TargetConfig.Load(configPath);
}
catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or InvalidDataException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"nvmf-target: cannot load config '{configPath}': {ex.Message}");
    return 3;
}

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
await using var target = new NvmeTcpTarget(config, TimeProvider.System, loggerFactory.CreateLogger("nvmf-target"));
target.Start(endPoint);
Console.WriteLine($"nvmf-target: listening on {target.LocalEndPoint}");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
