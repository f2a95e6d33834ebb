using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Offload.Contracts.Management;

namespace Offload.Nic;

/// <summary>
/// Builds and runs nic-fw, turning invalid configuration into one line on stderr per problem and exit code 78
/// (EX_CONFIG) instead of a stack trace. A clean shutdown (SIGTERM/SIGINT) exits 0.
/// </summary>
internal static partial class NicRunner
{
    internal const int ExitOk = 0;
    internal const int ExitInvalidConfiguration = 78;

    private const string Prefix = "nic-fw: invalid configuration: ";

    internal static async Task<int> RunAsync(HostApplicationBuilder builder)
    {
        IHost host;
        NicOptions options;
        try
        {
            host = builder.Build();
            options = host.Services.GetRequiredService<IOptions<NicOptions>>().Value;
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (ConfigurationErrors.TryDescribe(ex, out var lines))
        {
            foreach (var line in lines)
            {
                await Console.Error.WriteLineAsync(Prefix + line);
            }

            return ExitInvalidConfiguration;
        }

        using (host)
        {
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Offload.Nic");
            try
            {
                await host.StartAsync();
            }
            catch (Exception ex) when (ConfigurationErrors.TryDescribe(ex, out var lines))
            {
                // resources named in the configuration that the system refused (a port's socket path, interface, ...)
                foreach (var line in lines)
                {
                    await Console.Error.WriteLineAsync(Prefix + line);
                }

                return ExitInvalidConfiguration;
            }

            LogStarted(logger, options.BoardId, options.FirmwareVersion!);
            await host.WaitForShutdownAsync();
            LogStopped(logger, options.BoardId);
            return ExitOk;
        }
    }
}
