using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;

namespace Offload.Nic.Mailbox;

/// <summary>Adds the device end of the mailbox (configuration section <c>Mailbox</c>) to nic-fw.</summary>
internal static class NicMailboxServiceCollectionExtensions
{
    /// <summary>What this firmware build offers; sent in Hello.</summary>
    internal static readonly string[] Capabilities = ["mailbox-v1"];

    internal static IServiceCollection AddNicMailbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailboxOptions>()
            .Bind(configuration.GetSection(MailboxOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailboxOptions>>(new MailboxOptionsValidator(deviceEnd: true));
        services.AddSingleton<NicMailboxHandler>();
        services.AddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<MailboxOptions>>().Value;
            var nic = sp.GetRequiredService<IOptions<NicOptions>>().Value;
            string version = nic.FirmwareVersion is { Length: > 0 } v ? v
                : typeof(NicMailboxServiceCollectionExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            return new MailboxDevice(
                MailboxTransport.Create(MailboxEndpoint.Parse(options.Endpoint), options),
                options,
                new MailboxIdentity(nic.BoardId, version, Capabilities),
                sp.GetRequiredService<NicMailboxHandler>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Offload.Nic.Mailbox"),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService<NicMailboxService>();
        return services;
    }
}
