using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Offload.Nic.Datapath;

/// <summary>Adds the switch datapath (configuration section <c>Datapath</c>) to nic-fw.</summary>
internal static class NicDatapathServiceCollectionExtensions
{
    internal static IServiceCollection AddNicDatapath(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NicDatapathOptions>().Bind(configuration.GetSection(NicDatapathOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NicDatapathOptions>, NicDatapathOptionsValidator>();
        services.AddSingleton(static sp => new UpcallQueue(Math.Max(16, sp.GetRequiredService<IOptions<NicDatapathOptions>>().Value.UpcallQueueLength)));
        services.AddSingleton(static sp =>
        {
            var o = sp.GetRequiredService<IOptions<NicDatapathOptions>>().Value;
            var upcalls = sp.GetRequiredService<UpcallQueue>();
            var options = new DatapathOptions
            {
                FlowLimit = o.FlowLimit,
                UpcallRatePerSecond = o.UpcallRatePerSecond,
                UpcallBurst = Math.Max(1_000, o.UpcallRatePerSecond / 10),
                MaxFrameSize = DatapathPortOpener.FrameSize(o.Ports.Select(p => p.Mtu).DefaultIfEmpty(0).Max()),
            };
            return new NicDatapath(new SwitchDatapath(options, upcalls, sp.GetRequiredService<TimeProvider>()), upcalls);
        });
        services.AddSingleton<Offload.Nic.Enforcement.DatapathSignals>();
        services.AddSingleton<Offload.Nic.Enforcement.IApplicationSignals>(static sp => sp.GetRequiredService<Offload.Nic.Enforcement.DatapathSignals>());
        services.AddSingleton<NicDatapathSubscriber>();
        services.AddSingleton<Offload.Nic.Mailbox.INicMailboxSubscriber>(static sp => sp.GetRequiredService<NicDatapathSubscriber>());
        services.AddSingleton<DatapathInspectionSubscriber>();
        services.AddSingleton<Offload.Nic.Mailbox.INicMailboxSubscriber>(static sp => sp.GetRequiredService<DatapathInspectionSubscriber>());
        services.AddHostedService<DatapathService>();
        services.AddHostedService<DatapathStatsReporter>();
        return services;
    }
}
