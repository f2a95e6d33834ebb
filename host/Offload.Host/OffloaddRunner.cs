using Microsoft.Extensions.Options;
using Offload.Contracts.Management;
using Offload.Host.Management;
using Offload.Host.State;

namespace Offload.Host;

/// <summary>
/// Builds and runs offloadd, turning startup failures into one line on stderr and a documented exit code
/// instead of a stack trace: 0 clean shutdown (SIGTERM/SIGINT), 1 could not start, 65 corrupt desired-state file
/// (EX_DATAERR; the last good copy is kept), 78 invalid configuration
/// (EX_CONFIG from sysexits.h, which systemd reports as status=78/CONFIG).
/// </summary>
internal static class OffloaddRunner
{
    internal const int ExitOk = 0;
    internal const int ExitStartFailed = 1;
    internal const int ExitInvalidConfiguration = 78;

    /// <summary>The desired-state file is corrupt (EX_DATAERR); systemd does not restart into the same failure.</summary>
    internal const int ExitCorruptState = 65;

    private const string Prefix = "offloadd: ";

    internal static async Task<int> RunAsync(WebApplicationBuilder builder, Action<WebApplication> mapRoutes)
    {
        WebApplication app;
        try
        {
            // Build() resolves Kestrel and with it ManagementOptions; the startup validator then runs every other
            // ValidateOnStart registration (the mailbox's, for example) before anything binds or logs.
            app = builder.Build();
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (ConfigurationErrors.TryDescribe(ex, out var lines))
        {
            foreach (var line in lines)
            {
                await Console.Error.WriteLineAsync(Prefix + "invalid configuration: " + line);
            }

            return ExitInvalidConfiguration;
        }

        await using (app)
        {
            mapRoutes(app);

            // fix the start time now, not at the first status request (the singleton is created lazily)
            _ = app.Services.GetRequiredService<DaemonInfo>();
            try
            {
                app.Services.GetRequiredService<DesiredStateStore>().Load();
                app.Services.GetRequiredService<ManagementSocket>().PreparePath();
                await app.RunAsync();
                return ExitOk;
            }
            catch (DesiredStateException ex)
            {
                await Console.Error.WriteLineAsync(Prefix + ex.Message);
                return ExitCorruptState;
            }
            catch (ManagementStartupException ex)
            {
                await Console.Error.WriteLineAsync(Prefix + ex.Message);
                return ExitStartFailed;
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync(Prefix + "cannot start: " + ex.Message);
                return ExitStartFailed;
            }
            catch (UnauthorizedAccessException ex)
            {
                await Console.Error.WriteLineAsync(
                    Prefix + "cannot start: " + ex.Message + " Run as root or choose a writable Management:SocketPath.");
                return ExitStartFailed;
            }
        }
    }
}
