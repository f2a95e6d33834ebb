using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Offload.Nic;

/// <summary>Composition of nic-fw's own services (the mailbox is added separately by AddNicMailbox).</summary>
internal static class NicServiceCollectionExtensions
{
    internal static IServiceCollection AddNicFirmware(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<NicOptions>()
            .Bind(configuration.GetSection(NicOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<NicOptionsValidator>();
        services.AddSingleton<IValidateOptions<NicOptions>>(static sp => sp.GetRequiredService<NicOptionsValidator>());
        services.AddSingleton<IPostConfigureOptions<NicOptions>>(static sp => sp.GetRequiredService<NicOptionsValidator>());
        return services;
    }
}
