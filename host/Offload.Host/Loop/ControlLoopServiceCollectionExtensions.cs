namespace Offload.Host.Loop;

/// <summary>Adds offloadd's control loop (section <c>Controller</c>); HostMailboxService attaches one per NIC.</summary>
internal static class ControlLoopServiceCollectionExtensions
{
    internal static IServiceCollection AddControlLoop(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ControlLoopOptions>()
            .Bind(configuration.GetSection(ControlLoopOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ControlLoopRegistry>();
        return services;
    }
}
