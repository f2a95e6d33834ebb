using Microsoft.Extensions.Options;
using Offload.Host.History;
using Offload.Host.Network;

namespace Offload.Host.Loop;

/// <summary>Adds offloadd's control loop (section <c>Controller</c>) and its tenant history (section <c>History</c>);
/// HostMailboxService attaches one loop per NIC.</summary>
internal static class ControlLoopServiceCollectionExtensions
{
    internal static IServiceCollection AddControlLoop(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ControlLoopOptions>()
            .Bind(configuration.GetSection(ControlLoopOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HistoryOptions>()
            .Bind(configuration.GetSection(HistoryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var network = configuration.GetSection(NetworkControllerOptions.SectionName).Get<NetworkControllerOptions>() ?? new NetworkControllerOptions();
        if (network.Enabled)
        {
            services.AddSingleton(sp => new NetworkDemandAggregator(sp.GetRequiredService<TimeProvider>(), network.StaleAfter));
        }

        bool historyEnabled = configuration.GetSection(HistoryOptions.SectionName).GetValue(nameof(HistoryOptions.Enabled), true);
        if (historyEnabled)
        {
            services.AddSingleton<TenantHistory>();
            services.AddHostedService<HistoryCompactionService>();
            services.AddSingleton(static sp => new ControlLoopRegistry(
                sp.GetRequiredService<IOptions<ControlLoopOptions>>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TenantHistory>(), sp.GetService<NetworkDemandAggregator>()));
        }
        else
        {
            services.AddSingleton(static sp => new ControlLoopRegistry(
                sp.GetRequiredService<IOptions<ControlLoopOptions>>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>(), null, sp.GetService<NetworkDemandAggregator>()));
        }

        return services;
    }
}
