using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Offload.Nic.Nvme.Namespace;

namespace Offload.Nic.Nvme.Subsystem;

/// <summary>
/// Runtime add, update and removal of subsystems, namespaces and allow-lists (the host's desired state, mailbox
/// messages SubsystemSet and SubsystemRemove). Changes are serialised by one lock; readers (queue pairs) see either the
/// old or the new subsystem, never a half-built one: a new subsystem is published only once its namespaces and
/// allow-list are in place.
/// </summary>
public sealed partial class SubsystemCatalog
{
    /// <summary>Largest namespace accepted at runtime (64 GiB); anonymous namespaces live in RAM.</summary>
    public const long MaxRuntimeNamespaceSize = 64L << 30;

    /// <summary>Longest NQN (NVMe Base 2.0, 4.5: 223 bytes of UTF-8).</summary>
    public const int MaxNqnBytes = 223;

    private readonly Lock _mutation = new();
    private readonly Dictionary<(string Nqn, uint Nsid), (NamespaceSpec Spec, SharedMemoryRegion Region)> _runtimeNamespaces = [];

    // Regions of detached namespaces stay mapped until the catalog is disposed: a queue pair may still be copying
    // from one (I/O already past the namespace lookup), and unmapping under it would fault.
    private readonly List<SharedMemoryRegion> _retiredRegions = [];

    /// <summary>
    /// Creates or updates subsystem <paramref name="nqn"/> to exactly this shape: the subsystem, then its namespaces
    /// (missing ones attached, unlisted or changed ones detached), then its allow-list (controllers of hosts no longer
    /// allowed fail). On failure nothing is changed and <paramref name="error"/> names the object and the problem.
    /// </summary>
    public bool TrySet(string nqn, bool allowAnyHost, IReadOnlyCollection<string> hosts, IReadOnlyList<NamespaceSpec> namespaces,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(namespaces);
        if (!IsValidNqn(nqn, out error) || !AreValid(nqn, namespaces, out error))
        {
            return false;
        }

        lock (_mutation)
        {
            var isNew = !_subsystems.TryGetValue(nqn, out var subsystem);
            subsystem ??= new NvmeSubsystem(nqn, false, [], SerialFor(nqn), "Offload NVMe/TCP", false);

            // Build every new store first, so a file that cannot be opened leaves the subsystem untouched.
            var added = new List<(NamespaceSpec Spec, SharedMemoryRegion Region)>();
            var detached = new List<uint>();
            foreach (var ns in namespaces)
            {
                if (subsystem.TryGetNamespace(ns.Nsid, out var existing) && Matches(nqn, ns, existing))
                {
                    continue;
                }

                if (subsystem.Namespaces.ContainsKey(ns.Nsid))
                {
                    detached.Add(ns.Nsid);
                }

                try
                {
                    var region = string.IsNullOrEmpty(ns.Path)
                        ? SharedMemoryRegion.CreateAnonymous(ns.Size)
                        : SharedMemoryRegion.OpenFile(ns.Path, ns.Size);
                    added.Add((ns, region));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or OutOfMemoryException)
                {
                    foreach (var (_, region) in added)
                    {
                        region.Dispose();
                    }

                    error = $"namespace {ns.Nsid} of {nqn}: cannot open backing file '{ns.Path}': {ex.Message}; check the path and permissions";
                    return false;
                }
            }

            foreach (var nsid in subsystem.Namespaces.Keys)
            {
                if (!Contains(namespaces, nsid))
                {
                    detached.Add(nsid);
                }
            }

            foreach (var nsid in detached)
            {
                subsystem.TryRemoveNamespace(nsid, out _);
                if (_runtimeNamespaces.Remove((nqn, nsid), out var old))
                {
                    _retiredRegions.Add(old.Region);
                }
            }

            foreach (var (spec, region) in added)
            {
                var store = new RegionNamespaceStore(region, 0, spec.Size);
                subsystem.AddNamespace(new NvmeNamespace(new NamespaceId(spec.Nsid), spec.BlockSize, store,
                    StableGuid(nqn, spec.Nsid, 1), StableGuid(nqn, spec.Nsid, 2)));
                _runtimeNamespaces[(nqn, spec.Nsid)] = (spec, region);
            }

            subsystem.ReplaceAccess(allowAnyHost, hosts);
            if (isNew)
            {
                _subsystems[nqn] = subsystem;
            }
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Removes subsystem <paramref name="nqn"/>: new connects are refused at once, then every controller fails and its
    /// connections close. Removing a subsystem that does not exist succeeds (idempotent); the discovery NQN is refused.
    /// </summary>
    public bool TryRemove(string nqn, out int controllersFailed, [NotNullWhen(false)] out string? error)
    {
        controllersFailed = 0;
        if (nqn == NvmeSubsystem.DiscoveryNqn)
        {
            error = $"{nqn} is the discovery subsystem and cannot be removed";
            return false;
        }

        lock (_mutation)
        {
            if (_subsystems.TryRemove(nqn, out var subsystem))
            {
                controllersFailed = subsystem.FailAllControllers();
                foreach (var nsid in subsystem.Namespaces.Keys)
                {
                    if (_runtimeNamespaces.Remove((nqn, nsid), out var old))
                    {
                        _retiredRegions.Add(old.Region);
                    }
                }
            }
        }

        error = null;
        return true;
    }

    private bool Matches(string nqn, NamespaceSpec wanted, NvmeNamespace existing)
    {
        if (existing.BlockSize != wanted.BlockSize || (long)existing.BlockCount * existing.BlockSize != wanted.Size)
        {
            return false;
        }

        var path = _runtimeNamespaces.TryGetValue((nqn, wanted.Nsid), out var current) ? current.Spec.Path : null;
        return string.Equals(path ?? "", wanted.Path ?? "", StringComparison.Ordinal);
    }

    private static bool Contains(IReadOnlyList<NamespaceSpec> namespaces, uint nsid)
    {
        foreach (var ns in namespaces)
        {
            if (ns.Nsid == nsid)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidNqn(string nqn, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrWhiteSpace(nqn) || !nqn.StartsWith("nqn.", StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(nqn) > MaxNqnBytes)
        {
            error = $"subsystem NQN '{nqn}' is invalid: it must start with 'nqn.' and be at most {MaxNqnBytes} bytes";
            return false;
        }

        if (nqn == NvmeSubsystem.DiscoveryNqn)
        {
            error = $"{nqn} is the discovery subsystem's NQN; choose another";
            return false;
        }

        error = null;
        return true;
    }

    private static bool AreValid(string nqn, IReadOnlyList<NamespaceSpec> namespaces, [NotNullWhen(false)] out string? error)
    {
        var seen = new HashSet<uint>();
        foreach (var ns in namespaces)
        {
            if (!new NamespaceId(ns.Nsid).IsValidIo || !seen.Add(ns.Nsid))
            {
                error = $"namespace {ns.Nsid} of {nqn}: the NSID is invalid or duplicated; use 1..4294967294, once each";
                return false;
            }

            if (ns.BlockSize is not (512 or 4096))
            {
                error = $"namespace {ns.Nsid} of {nqn}: block size {ns.BlockSize} is not supported; use 512 or 4096";
                return false;
            }

            if (ns.Size <= 0 || ns.Size % ns.BlockSize != 0 || ns.Size > MaxRuntimeNamespaceSize)
            {
                error = $"namespace {ns.Nsid} of {nqn}: size {ns.Size} must be a positive multiple of {ns.BlockSize} and at most {MaxRuntimeNamespaceSize}";
                return false;
            }

            if (!string.IsNullOrEmpty(ns.Path) && !System.IO.Path.IsPathFullyQualified(ns.Path))
            {
                error = $"namespace {ns.Nsid} of {nqn}: backing file '{ns.Path}' is not an absolute path";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static string SerialFor(string nqn)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in nqn)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return "OFL" + (hash & 0xFFFF_FFFF_FFFFUL).ToString("X12", CultureInfo.InvariantCulture);
    }

    private void DisposeRuntimeRegions()
    {
        lock (_mutation)
        {
            foreach (var (_, (_, region)) in _runtimeNamespaces)
            {
                region.Dispose();
            }

            foreach (var region in _retiredRegions)
            {
                region.Dispose();
            }

            _runtimeNamespaces.Clear();
            _retiredRegions.Clear();
        }
    }
}
