using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Namespace;

namespace Offload.Nic.Nvme.Subsystem;

/// <summary>
/// An NVM subsystem: NQN, host allow-list (deny by default), its namespaces and its live controllers. Namespaces of
/// one subsystem are only reachable through that subsystem's controllers.
/// </summary>
public sealed partial class NvmeSubsystem
{
    public const string DiscoveryNqn = "nqn.2014-08.org.nvmexpress.discovery";

    // Copy-on-write: queue pairs read these without a lock while the mailbox replaces them (NvmeSubsystem.Runtime.cs).
    private volatile HashSet<string> _hosts;
    private volatile SortedDictionary<uint, NvmeNamespace> _namespaces = [];
    private volatile bool _allowAnyHost;
    private readonly Dictionary<ushort, NvmeController> _controllers = [];
    private readonly Lock _lock = new();
    private ushort _nextControllerId = 1;

    public NvmeSubsystem(string nqn, bool allowAnyHost, IEnumerable<string> hosts, string serial, string model, bool isDiscovery)
    {
        Nqn = nqn;
        _allowAnyHost = allowAnyHost;
        _hosts = new HashSet<string>(hosts, StringComparer.Ordinal);
        Serial = serial;
        Model = model;
        IsDiscovery = isDiscovery;
    }

    public string Nqn { get; }

    public string Serial { get; }

    public string Model { get; }

    public bool AllowAnyHost => _allowAnyHost;

    public bool IsDiscovery { get; }

    public IReadOnlyDictionary<uint, NvmeNamespace> Namespaces => _namespaces;

    public bool IsHostAllowed(string hostNqn) => _allowAnyHost || _hosts.Contains(hostNqn);

    /// <summary>Allowed host NQNs (a snapshot).</summary>
    public IReadOnlyCollection<string> Hosts => _hosts;

    public void AddNamespace(NvmeNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        lock (_lock)
        {
            var copy = new SortedDictionary<uint, NvmeNamespace>(_namespaces);
            copy.Add(ns.Id.Value, ns);
            _namespaces = copy;
        }

        // A namespace attached at runtime is announced to connected hosts (none at startup).
        NotifyNamespaceAttributeChanged(ns.Id.Value);
    }

    public bool TryGetNamespace(uint nsid, out NvmeNamespace ns) => _namespaces.TryGetValue(nsid, out ns!);

    public bool TryGetController(ushort cntlid, out NvmeController controller)
    {
        lock (_lock)
        {
            return _controllers.TryGetValue(cntlid, out controller!);
        }
    }

    public int ControllerCount
    {
        get
        {
            lock (_lock)
            {
                return _controllers.Count;
            }
        }
    }

    /// <summary>Allocates a dynamic CNTLID and registers the controller built by <paramref name="create"/>.</summary>
    public NvmeController? TryCreateController(Func<ControllerId, NvmeController> create)
    {
        lock (_lock)
        {
            for (var i = 0; i < 0xFFEF; i++)
            {
                var id = _nextControllerId;
                _nextControllerId = (ushort)(id >= 0xFFEF ? 1 : id + 1);
                if (!_controllers.ContainsKey(id))
                {
                    var controller = create(new ControllerId(id));
                    _controllers.Add(id, controller);
                    return controller;
                }
            }

            return null;
        }
    }

    public void RemoveController(NvmeController controller)
    {
        lock (_lock)
        {
            if (_controllers.TryGetValue(controller.Id.Value, out var c) && ReferenceEquals(c, controller))
            {
                _controllers.Remove(controller.Id.Value);
            }
        }
    }

    /// <summary>
    /// Hook for runtime namespace changes (attach, detach, resize): every live controller of this subsystem records
    /// <paramref name="nsid"/> in its Changed Namespace List log (04h) and completes a held Asynchronous Event Request
    /// with the Namespace Attribute Changed notice where its Asynchronous Event Configuration enables it (NVMe Base 2.0
    /// §5.2, §5.16). Thread-safe; callable from any thread. Does not itself add or remove namespaces.
    /// </summary>
    public void NotifyNamespaceAttributeChanged(uint nsid)
    {
        NvmeController[] controllers;
        lock (_lock)
        {
            controllers = [.. _controllers.Values];
        }

        foreach (var c in controllers)
        {
            c.NotifyNamespaceAttributeChanged(nsid);
        }
    }

    public void CopyControllers(List<NvmeController> destination)
    {
        lock (_lock)
        {
            destination.AddRange(_controllers.Values);
        }
    }
}
