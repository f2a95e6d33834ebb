namespace Offload.Emulation.Guest;

/// <summary>
/// Orders kernel modules for <c>insmod</c> without <c>modules.dep</c>: every module comes after its
/// <c>depends=</c> and its <c>softdep=pre:</c> modules (soft ones only when present), roots keep their order.
/// </summary>
public static class ModuleLoadOrder
{
    /// <summary>The modules the guest needs: the NVMe/TCP initiator, CRC32C for digests, and virtio-net.</summary>
    public static IReadOnlyList<string> DefaultRoots { get; } =
    [
        "crct10dif_common", "crc_t10dif", "crc64", "crc64_rocksoft", "t10_pi", "nvme_core", "nvme_fabrics", "nvme_tcp",
        "crc32c_generic", "virtio_ring", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio", "virtio_pci",
        "failover", "net_failover", "virtio_net",
    ];

    /// <summary>Computes the load order; fails when a root or a hard dependency is not available.</summary>
    public static bool TryCompute(
        IReadOnlyDictionary<string, KernelModuleInfo> available,
        IEnumerable<string> roots,
        out IReadOnlyList<string> order,
        out string error)
    {
        ArgumentNullException.ThrowIfNull(available);
        ArgumentNullException.ThrowIfNull(roots);
        var result = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        error = string.Empty;
        foreach (var root in roots)
        {
            if (!Visit(KernelModuleInfo.NormalizeName(root), available, result, done, visiting, out error))
            {
                order = result;
                return false;
            }
        }

        order = result;
        return true;
    }

    private static bool Visit(
        string name,
        IReadOnlyDictionary<string, KernelModuleInfo> available,
        List<string> result,
        HashSet<string> done,
        HashSet<string> visiting,
        out string error)
    {
        error = string.Empty;
        if (done.Contains(name))
        {
            return true;
        }

        if (!available.TryGetValue(name, out var info))
        {
            error = $"kernel module '{name}' is not in the kernel package";
            return false;
        }

        if (!visiting.Add(name))
        {
            error = $"kernel module dependency cycle through '{name}'";
            return false;
        }

        foreach (var soft in info.SoftDependsPre)
        {
            if (available.ContainsKey(soft) && !visiting.Contains(soft) && !Visit(soft, available, result, done, visiting, out error))
            {
                return false;
            }
        }

        foreach (var dependency in info.Depends)
        {
            if (!Visit(dependency, available, result, done, visiting, out error))
            {
                error = $"{error} (needed by '{name}')";
                return false;
            }
        }

        visiting.Remove(name);
        done.Add(name);
        result.Add(name);
        return true;
    }
}
