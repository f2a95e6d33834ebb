using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Host.Switching;

namespace Offload.Host.Mailbox;

/// <summary>Adds the host end of the mailbox (configuration section <c>Mailbox</c>, key <c>Endpoints</c>) to offloadd.</summary>
internal static class HostMailboxServiceCollectionExtensions
{
    /// <summary>Used when no <c>Mailbox:Endpoints</c> are configured: the default nic-fw endpoint on this machine.</summary>
    internal const string DefaultEndpoint = "tcp://127.0.0.1:7420";

    internal static IServiceCollection AddHostMailbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailboxOptions>()
            .Bind(configuration.GetSection(MailboxOptions.SectionName))
            .PostConfigure(static o =>
            {
                if (o.Endpoints.Count == 0)
                {
                    o.Endpoints.Add(DefaultEndpoint);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailboxOptions>>(new MailboxOptionsValidator(deviceEnd: false));
        services.AddOptions<LearningSwitchOptions>()
            .Bind(configuration.GetSection(LearningSwitchOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<HostMailboxService>();
        return services;
    }
}
