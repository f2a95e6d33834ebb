using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Reflection;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Host.Nics;
using Offload.Host.Switching;

namespace Offload.Host.Mailbox;

/// <summary>
/// One <see cref="MailboxClient"/> per configured NIC endpoint, for the life of offloadd. Each reconnects on its own
/// with backoff; connected NICs appear in the <see cref="NicRegistry"/>.
/// </summary>
internal sealed class HostMailboxService : BackgroundService
{
    private readonly List<MailboxClient> _clients = [];

    public HostMailboxService(IOptions<MailboxOptions> options, IOptions<LearningSwitchOptions> switching, NicRegistry registry, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(switching);
        ArgumentNullException.ThrowIfNull(loggers);
        var o = options.Value;
        string version = typeof(HostMailboxService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var identity = new MailboxIdentity(Environment.MachineName, version, ["controller-v1"]);
        var logger = loggers.CreateLogger("Offload.Host.Mailbox");
        var switchLogger = loggers.CreateLogger("Offload.Host.Switching");
        foreach (string endpoint in o.Endpoints)
        {
            var parsed = MailboxEndpoint.Parse(endpoint);
            // One learning switch per NIC: port numbers belong to that NIC's datapath.
            var handler = new LearningSwitchHandler(new NicSessionTracker(registry, parsed), new LearningSwitch(switching.Value, time), switchLogger);
            _clients.Add(new MailboxClient(MailboxTransport.Create(parsed), o, identity, handler, logger, time));
        }
    }

    public IReadOnlyList<MailboxClient> Clients => _clients;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_clients.Select(c => c.RunAsync(stoppingToken)));
}
