using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Management;
using Offload.Host.Management;
using Offload.Host.Audit;
using Offload.Host.Nics;
using Offload.Host.State;

namespace Offload.Host;

/// <summary>Composition of offloadd's own services (the mailbox is added separately by AddHostMailbox).</summary>
internal static class OffloaddServiceCollectionExtensions
{
    internal static IServiceCollection AddOffloadd(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        // Captured now, at composition, so uptime counts from process start rather than from the first request.
        services.AddSingleton(new DaemonInfo(
            TimeProvider.System.GetUtcNow(),
            ProductVersion.Of(typeof(OffloaddServiceCollectionExtensions).Assembly)));
        services.AddSingleton<NicRegistry>();
        services.AddOptions<StateOptions>()
            .Bind(configuration.GetSection(StateOptions.SectionName))
            .Validate(static o => Path.IsPathFullyQualified(o.Path), "State:Path must be an absolute path, for example /var/lib/offload/state.json.")
            .Validate(static o => Path.IsPathFullyQualified(o.AuditLogPath), "State:AuditLogPath must be an absolute path, for example /var/lib/offload/audit.jsonl.")
            .ValidateOnStart();
        services.AddSingleton<DesiredStateStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<Offload.Host.Datapath.DatapathStatsStore>();

        services.AddOptions<ManagementOptions>()
            .Bind(configuration.GetSection(ManagementOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>();
        services.AddSingleton<ManagementSocket>();
        services.AddHostedService(static sp => sp.GetRequiredService<ManagementSocket>());

        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ManagementOptions>>(static (kestrel, management) =>
            {
                var options = management.Value;
                kestrel.AddServerHeader = false;
                kestrel.ListenUnixSocket(options.SocketPath);
                if (options.TcpPort != 0)
                {
                    kestrel.Listen(IPAddress.Loopback, options.TcpPort);
                }
            });

        return services;
    }
}
