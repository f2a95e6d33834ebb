using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
            return services;
        }

        var config = section.Get<TargetConfig>() ?? new TargetConfig();
        string listenText = section["Listen"] ?? DefaultListen;
        if (!IPEndPoint.TryParse(listenText, out var listen))
        {
            throw new InvalidOperationException($"Nvme:Listen: '{listenText}' is not ADDR:PORT; use for example 0.0.0.0:4420.");
        }

        services.AddSingleton(sp => new NvmeTcpTarget(
            config,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Offload.Nic.Nvme")));
        services.AddSingleton<IOccupancySource>(static sp => sp.GetRequiredService<NvmeTcpTarget>());
        services.AddSingleton<IApplicationCounterSource>(static sp => sp.GetRequiredService<NvmeTcpTarget>());
        services.AddSingleton(static sp => sp.GetRequiredService<NvmeTcpTarget>().RateLimiter);
        services.AddHostedService(sp => new NvmeTargetService(sp.GetRequiredService<NvmeTcpTarget>(), listen));
        return services;
    }
}
