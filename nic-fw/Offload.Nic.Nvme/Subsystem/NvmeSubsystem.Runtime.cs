using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Namespace;

namespace Offload.Nic.Nvme.Subsystem;

/// <summary>Runtime changes from the host's desired state (SubsystemSet / SubsystemRemove over the mailbox).</summary>
public sealed partial class NvmeSubsystem
{
    /// <summary>
    /// Replaces the allow-list. Controllers of hosts that are no longer allowed fail (CSTS.CFS) and their
    /// connections close; returns how many.
    /// </summary>
    public int ReplaceAccess(bool allowAnyHost, IEnumerable<string> hosts)
    {
        var allowed = new HashSet<string>(hosts, StringComparer.Ordinal);
        lock (_lock)
        {
            _hosts = allowed;
            _allowAnyHost = allowAnyHost;
        }

        if (allowAnyHost)
        {
            return 0;
        }

        var controllers = new List<NvmeController>();
        CopyControllers(controllers);
        var failed = 0;
        foreach (var c in controllers)
        {
            if (!allowed.Contains(c.App.HostNqn))
            {
                c.Fail();
                failed++;
            }
        }

        return failed;
    }

    /// <summary>Detaches namespace <paramref name="nsid"/>; I/O to it afterwards completes with Invalid Namespace.</summary>
    public bool TryRemoveNamespace(uint nsid, out NvmeNamespace removed)
    {
        lock (_lock)
        {
            if (!_namespaces.TryGetValue(nsid, out removed!))
            {
                return false;
            }

            var copy = new SortedDictionary<uint, NvmeNamespace>(_namespaces);
            copy.Remove(nsid);
            _namespaces = copy;
        }

        // Connected hosts get the Namespace Attribute Changed notice (NVMe Base 2.0 5.2.2, log page 04h) and rescan.
        NotifyNamespaceAttributeChanged(nsid);
        return true;
    }

    /// <summary>Every controller fails (CSTS.CFS) and its connections close; used when the subsystem is removed.</summary>
    public int FailAllControllers()
    {
        var controllers = new List<NvmeController>();
        CopyControllers(controllers);
        foreach (var c in controllers)
        {
            c.Fail();
        }

        return controllers.Count;
    }
}
