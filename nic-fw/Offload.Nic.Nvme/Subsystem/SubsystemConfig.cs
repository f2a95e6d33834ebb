namespace Offload.Nic.Nvme.Subsystem;

public sealed class SubsystemConfig
{
    public string Nqn { get; set; } = "";

    public string Serial { get; set; } = "OFFLOAD0001";

    public string Model { get; set; } = "Offload NVMe/TCP";

    /// <summary>Deny is the default; a subsystem open to every host must say so explicitly.</summary>
    public bool AllowAnyHost { get; set; }

    public IList<string> Hosts { get; init; } = [];

    public IList<NamespaceConfig> Namespaces { get; init; } = [];
}
