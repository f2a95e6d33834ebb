using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Reflection;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Host.Live;
using Offload.Host.Datapath;
using Offload.Host.Loop;
using Offload.Host.Nics;
using Offload.Host.State;
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
    private readonly List<NicStateApplier> _appliers = [];
    private readonly IDisposable? _rulesChanged;

    public HostMailboxService(IOptions<MailboxOptions> options, IOptionsMonitor<LearningSwitchOptions> switching, NicRegistry registry, ILoggerFactory loggers, TimeProvider time, ControlLoopRegistry? loops = null, DesiredStateStore? state = null, NicLiveRegistry? live = null, DatapathStatsStore? datapathStats = null)
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
            var applier = state is null ? null : new NicStateApplier(parsed.ToString(), state, loops?.GetOrCreate(parsed.ToString()), loggers.CreateLogger("Offload.Host.State"));
            var handler = new LearningSwitchHandler(Handler(registry, parsed, loops, applier, live, datapathStats, time), new LearningSwitch(switching.CurrentValue, time), switchLogger);
            handler.UpdateRules(staticFlows);
            _handlers.Add(handler);
            if (applier is not null)
            {
                // The applier owns the NIC's static rules from here on: configuration rules, then the desired state's.
                applier.Switch = handler;
                applier.SetConfigFlows(staticFlows, "startup");
                _appliers.Add(applier);
            }

            _clients.Add(new MailboxClient(MailboxTransport.Create(parsed, o), o, identity, handler, logger, time));
        }

        // Configuration reload (appsettings.json is watched): new rules revalidate every NIC's flows.
        _rulesChanged = switching.OnChange(changed =>
        {
            if (StaticRuleCompiler.TryCompile(changed.Rules, out var flows, out string problem))
            {
                if (_appliers.Count > 0)
                {
                    foreach (var a in _appliers)
                    {
                        a.SetConfigFlows(flows);
                    }
                }
                else
                {
                    foreach (var h in _handlers)
                    {
                        h.UpdateRules(flows);
                    }
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

    /// <summary>Per-NIC appliers of the desired state (empty when offloadd runs without one).</summary>
    public IReadOnlyList<NicStateApplier> Appliers => _appliers;

    private static IMailboxHandler Handler(NicRegistry registry, MailboxEndpoint endpoint, ControlLoopRegistry? loops, NicStateApplier? applier, NicLiveRegistry? live, DatapathStatsStore? datapathStats, TimeProvider time)
    {
        var handlers = new List<IMailboxHandler> { new NicSessionTracker(registry, endpoint) };
        if (loops is not null)
        {
            handlers.Add(loops.GetOrCreate(endpoint.ToString()));
        }

        if (applier is not null)
        {
            handlers.Add(applier);
        }

        if (live is not null)
        {
            handlers.Add(live.GetOrCreate(endpoint.ToString()));
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
        foreach (var a in _appliers)
        {
            a.Dispose();
        }

        base.Dispose();
    }

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information, Message = "Switching rules changed: {Count} static flows; revalidating every NIC's flows")]
    private static partial void LogRulesChanged(ILogger logger, int count);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Warning, Message = "Switching rules not applied, the previous ones stay: {Problem}")]
    private static partial void LogRulesRejected(ILogger logger, string problem);
}
