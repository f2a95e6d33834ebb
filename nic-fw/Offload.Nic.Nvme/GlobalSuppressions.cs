using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
    Scope = "namespace", Target = "~N:Offload.Nic.Nvme.Namespace",
    Justification = "Folder/namespace named after the NVMe concept per CONVENTIONS (Namespace/); VB consumers are not a concern.")]
