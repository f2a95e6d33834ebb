using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Nic.Enforcement;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Telemetry;

/// <summary>Adds the closed loop's NIC half: the occupancy reporter (section <c>Telemetry</c>) and rate enforcement.
/// Call after AddNicNvmeTarget; without a target (no <c>Nvme</c> section) there is nothing to measure or enforce.</summary>
internal static class NicTelemetryServiceCollectionExtensions
{
    internal static IServiceCollection AddNicTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<AppDirectory>();
        if (!services.Any(static d => d.ServiceType == typeof(IOccupancySource)))
        {
            return services;
        }

        services.AddOptions<TelemetryOptions>()
            .Bind(configuration.GetSection(TelemetryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(static sp => new OccupancyReporter(
            sp.GetRequiredService<IOccupancySource>(),
            sp.GetRequiredService<AppDirectory>(),
            sp.GetService<MailboxDevice>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<TelemetryOptions>>(),
            sp.GetService<IApplicationCounterSource>(),
            sp.GetRequiredService<IOptions<NicOptions>>().Value.BoardId,
            sp.GetRequiredService<ILogger<OccupancyReporter>>()));
        services.AddHostedService(static sp => sp.GetRequiredService<OccupancyReporter>());
        services.AddSingleton(static sp => new RateEnforcer(
            sp.GetRequiredService<IRateLimiter>(),
            sp.GetRequiredService<AppDirectory>(),
            sp.GetRequiredService<ILogger<RateEnforcer>>(),
            sp.GetService<IApplicationSignals>()));
        services.AddSingleton<INicMailboxSubscriber>(static sp => sp.GetRequiredService<RateEnforcer>());
        services.AddSingleton(static sp => new AllocationEnforcer(
            sp.GetRequiredService<Offload.Nic.Nvme.NvmeTcpTarget>().Catalog.Grants,
            sp.GetRequiredService<AppDirectory>(),
            sp.GetRequiredService<ILogger<AllocationEnforcer>>(),
            sp.GetService<IApplicationSignals>()));
        services.AddSingleton<INicMailboxSubscriber>(static sp => sp.GetRequiredService<AllocationEnforcer>());
        return services;
    }
}
