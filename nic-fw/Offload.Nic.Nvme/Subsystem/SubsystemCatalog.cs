using Offload.Nic.Nvme.Namespace;

namespace Offload.Nic.Nvme.Subsystem;

/// <summary>All subsystems of the target, the discovery subsystem, and the shared memory region behind namespaces.</summary>
public sealed partial class SubsystemCatalog : IDisposable
{
    private readonly Dictionary<string, NvmeSubsystem> _subsystems = new(StringComparer.Ordinal);

    public SubsystemCatalog(TargetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Discovery = new NvmeSubsystem(NvmeSubsystem.DiscoveryNqn, true, [], "DISCOVERY", "Offload Discovery", true);
        long total = 0;
        foreach (var s in config.Subsystems)
        {
            foreach (var n in s.Namespaces)
            {
                if (n.Size <= 0 || n.Size % n.BlockSize != 0)
                {
                    throw new InvalidDataException($"Namespace {n.Nsid} of {s.Nqn}: size {n.Size} must be a positive multiple of block size {n.BlockSize}.");
                }

                total += n.Size;
            }
        }

        var regionSize = Math.Max(Math.Max(config.SharedMemory.Size, total), 4096);
        Region = config.SharedMemory.Path is { } path
            ? SharedMemoryRegion.OpenFile(path, regionSize)
            : SharedMemoryRegion.CreateAnonymous(regionSize);

        long offset = 0;
        foreach (var s in config.Subsystems)
        {
            if (string.IsNullOrWhiteSpace(s.Nqn) || s.Nqn == NvmeSubsystem.DiscoveryNqn || _subsystems.ContainsKey(s.Nqn))
            {
                throw new InvalidDataException($"Subsystem NQN '{s.Nqn}' is empty, reserved or duplicated; give each subsystem a unique NQN.");
            }

            var subsystem = new NvmeSubsystem(s.Nqn, s.AllowAnyHost, s.Hosts, s.Serial, s.Model, false);
            foreach (var n in s.Namespaces)
            {
                var id = new NamespaceId(n.Nsid);
                if (!id.IsValidIo || subsystem.Namespaces.ContainsKey(n.Nsid))
                {
                    throw new InvalidDataException($"Namespace ID {n.Nsid} in {s.Nqn} is invalid or duplicated.");
                }

                var store = new RegionNamespaceStore(Region, offset, n.Size);
                subsystem.AddNamespace(new NvmeNamespace(id, n.BlockSize, store, n.Nguid ?? StableGuid(s.Nqn, n.Nsid, 1),
                    n.Uuid ?? StableGuid(s.Nqn, n.Nsid, 2)));
                offset += n.Size;
            }

            _subsystems.Add(s.Nqn, subsystem);
        }
    }

    public TargetConfig Config { get; }

    public NvmeSubsystem Discovery { get; }

    public SharedMemoryRegion Region { get; }

    public IEnumerable<NvmeSubsystem> Subsystems => _subsystems.Values;

    /// <summary>Address and port reported in discovery log entries.</summary>
    public string AdvertiseAddress { get; set; } = "127.0.0.1";

    public int AdvertisePort { get; set; } = 4420;

    public bool TryGet(string nqn, out NvmeSubsystem subsystem)
    {
        if (nqn == NvmeSubsystem.DiscoveryNqn)
        {
            subsystem = Discovery;
            return true;
        }

        return _subsystems.TryGetValue(nqn, out subsystem!);
    }

    public void Dispose() => Region.Dispose();

    private static Guid StableGuid(string nqn, uint nsid, byte kind)
    {
        Span<byte> bytes = stackalloc byte[16];
        var hash = 14695981039346656037UL;
        foreach (var c in nqn)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        BitConverter.TryWriteBytes(bytes, hash);
        BitConverter.TryWriteBytes(bytes[8..], ((ulong)nsid << 8) | kind);
        return new Guid(bytes);
    }
}
