using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme;

/// <summary>Adds the NVMe/TCP target (configuration section <c>Nvme</c>, the shape of nvmf-target's JSON plus
/// <c>Listen</c>). Without the section the target is off and nothing is registered.</summary>
internal static class NvmeTargetServiceCollectionExtensions
{
    internal const string SectionName = "Nvme";

    internal const string DefaultListen = "0.0.0.0:4420";

    internal static IServiceCollection AddNicNvmeTarget(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        if (!section.Exists())
        {
            // No target: the host's SubsystemSet is answered with an Error that says how to turn the target on.
            services.AddSingleton<INicMailboxSubscriber>(static sp => new SubsystemMailboxSubscriber(
                null, sp.GetRequiredService<ILogger<SubsystemMailboxSubscriber>>()));
            return services;
        }

        var config = section.Get<TargetConfig>() ?? new TargetConfig();
        services.AddOptions<NvmeListenOptions>()
            .Bind(section)
            .Validate(static o => IPEndPoint.TryParse(o.Listen, out _), "Nvme:Listen is not ADDR:PORT; use for example --Nvme:Listen=0.0.0.0:4420.")
            .ValidateOnStart();
        services.AddSingleton(sp => new NvmeTcpTarget(
            config,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Offload.Nic.Nvme")));
        services.AddSingleton<IOccupancySource>(static sp => sp.GetRequiredService<NvmeTcpTarget>());
        services.AddSingleton<IApplicationCounterSource>(static sp => sp.GetRequiredService<NvmeTcpTarget>());
        services.AddSingleton(static sp => sp.GetRequiredService<NvmeTcpTarget>().RateLimiter);
        services.AddSingleton(static sp => new SubsystemMailboxSubscriber(
            sp.GetRequiredService<NvmeTcpTarget>().Catalog, sp.GetRequiredService<ILogger<SubsystemMailboxSubscriber>>()));
        services.AddSingleton<INicMailboxSubscriber>(static sp => sp.GetRequiredService<SubsystemMailboxSubscriber>());
        services.AddHostedService(static sp => new NvmeTargetService(
            sp.GetRequiredService<NvmeTcpTarget>(),
            IPEndPoint.Parse(sp.GetRequiredService<IOptions<NvmeListenOptions>>().Value.Listen)));
        return services;
    }
}
