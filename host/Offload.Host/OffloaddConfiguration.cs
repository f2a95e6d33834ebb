namespace Offload.Host;

/// <summary>
/// offloadd's configuration layers, later ones winning: <c>appsettings.json</c> next to the executable,
/// <c>appsettings.{Environment}.json</c>, <c>/etc/offload/offloadd.json</c>, environment variables
/// (<c>Management__SocketPath=...</c>), then the command line (<c>--Management:SocketPath=...</c>).
/// </summary>
internal static class OffloaddConfiguration
{
    /// <summary>System-wide configuration file; optional.</summary>
    internal const string SystemConfigPath = "/etc/offload/offloadd.json";

    internal static void AddSources(ConfigurationManager configuration, string environmentName, string[] args)
    {
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, $"appsettings.{environmentName}.json"), optional: true, reloadOnChange: false);
        configuration.AddJsonFile(SystemConfigPath, optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
    }
}
