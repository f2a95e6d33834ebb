using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Reflection;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Host.Loop;
using Offload.Host.Nics;

namespace Offload.Host.Mailbox;

/// <summary>
/// One <see cref="MailboxClient"/> per configured NIC endpoint, for the life of offloadd. Each reconnects on its own
/// with backoff; connected NICs appear in the <see cref="NicRegistry"/>.
/// </summary>
internal sealed class HostMailboxService : BackgroundService
{
    private readonly List<MailboxClient> _clients = [];

    public HostMailboxService(IOptions<MailboxOptions> options, NicRegistry registry, ILoggerFactory loggers, TimeProvider time, ControlLoopRegistry? loops = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var o = options.Value;
        string version = typeof(HostMailboxService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var identity = new MailboxIdentity(Environment.MachineName, version, ["controller-v1"]);
        var logger = loggers.CreateLogger("Offload.Host.Mailbox");
        foreach (string endpoint in o.Endpoints)
        {
            var parsed = MailboxEndpoint.Parse(endpoint);
            _clients.Add(new MailboxClient(MailboxTransport.Create(parsed), o, identity, Handler(registry, parsed, loops), logger, time));
        }
    }

    public IReadOnlyList<MailboxClient> Clients => _clients;

    private static IMailboxHandler Handler(NicRegistry registry, MailboxEndpoint endpoint, ControlLoopRegistry? loops) =>
        loops is null
            ? new NicSessionTracker(registry, endpoint)
            : new MailboxHandlerChain(new NicSessionTracker(registry, endpoint), loops.GetOrCreate(endpoint.ToString()));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_clients.Select(c => c.RunAsync(stoppingToken)));
}
