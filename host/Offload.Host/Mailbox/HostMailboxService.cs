using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Reflection;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Host.Datapath;
using Offload.Host.Loop;
using Offload.Host.Nics;
using Offload.Host.Switching;

namespace Offload.Host.Mailbox;

/// <summary>
/// One <see cref="MailboxClient"/> per configured NIC endpoint, for the life of offloadd. Each reconnects on its own
/// with backoff; connected NICs appear in the <see cref="NicRegistry"/>.
/// </summary>
internal sealed partial class HostMailboxService : BackgroundService
{
    private readonly List<MailboxClient> _clients = [];
    private readonly List<LearningSwitchHandler> _handlers = [];
    private readonly IDisposable? _rulesChanged;

    public HostMailboxService(IOptions<MailboxOptions> options, IOptionsMonitor<LearningSwitchOptions> switching, NicRegistry registry, ILoggerFactory loggers, TimeProvider time, ControlLoopRegistry? loops = null, DatapathStatsStore? datapathStats = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(switching);
        ArgumentNullException.ThrowIfNull(loggers);
        var o = options.Value;
        string version = typeof(HostMailboxService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var identity = new MailboxIdentity(Environment.MachineName, version, ["controller-v1"]);
        var logger = loggers.CreateLogger("Offload.Host.Mailbox");
        var switchLogger = loggers.CreateLogger("Offload.Host.Switching");
        if (!StaticRuleCompiler.TryCompile(switching.CurrentValue.Rules, out var staticFlows, out string error))
        {
            throw new InvalidOperationException($"{error} Fix the rule in the configuration.");
        }

        foreach (string endpoint in o.Endpoints)
        {
            var parsed = MailboxEndpoint.Parse(endpoint);
            // One learning switch per NIC: port numbers belong to that NIC's datapath.
            var handler = new LearningSwitchHandler(Handler(registry, parsed, loops, datapathStats, time), new LearningSwitch(switching.CurrentValue, time), switchLogger);
            handler.UpdateRules(staticFlows);
            _handlers.Add(handler);
            _clients.Add(new MailboxClient(MailboxTransport.Create(parsed), o, identity, handler, logger, time));
        }

        // Configuration reload (appsettings.json is watched): new rules revalidate every NIC's flows.
        _rulesChanged = switching.OnChange(changed =>
        {
            if (StaticRuleCompiler.TryCompile(changed.Rules, out var flows, out string problem))
            {
                foreach (var h in _handlers)
                {
                    h.UpdateRules(flows);
                }

                LogRulesChanged(switchLogger, flows.Length);
            }
            else
            {
                LogRulesRejected(switchLogger, problem);
            }
        });
    }

    public IReadOnlyList<MailboxClient> Clients => _clients;

    private static IMailboxHandler Handler(NicRegistry registry, MailboxEndpoint endpoint, ControlLoopRegistry? loops, DatapathStatsStore? datapathStats, TimeProvider time)
    {
        var handlers = new List<IMailboxHandler> { new NicSessionTracker(registry, endpoint) };
        if (loops is not null)
        {
            handlers.Add(loops.GetOrCreate(endpoint.ToString()));
        }

        if (datapathStats is not null)
        {
            handlers.Add(new DatapathStatsHandler(datapathStats, time));
        }

        return handlers.Count == 1 ? handlers[0] : new MailboxHandlerChain([.. handlers]);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_clients.Select(c => c.RunAsync(stoppingToken)));

    public override void Dispose()
    {
        _rulesChanged?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Switching rules changed: {Count} static flows; revalidating every NIC's flows")]
    private static partial void LogRulesChanged(ILogger logger, int count);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Warning, Message = "Switching rules not applied, the previous ones stay: {Problem}")]
    private static partial void LogRulesRejected(ILogger logger, string problem);
}
