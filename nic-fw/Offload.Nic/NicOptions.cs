namespace Offload.Nic;

/// <summary>Configuration section <c>Nic</c>: who this firmware instance is.</summary>
public sealed class NicOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Nic";

    /// <summary>Default board id (the first QEMU guest).</summary>
    public const string DefaultBoardId = "qemu-0";

    /// <summary>
    /// Board id announced to offloadd (<c>Nic:BoardId</c>), matching <c>[a-z0-9][a-z0-9._-]{0,62}</c>;
    /// see <see cref="Offload.Contracts.Management.BoardId"/>.
    /// </summary>
    public string BoardId { get; set; } = DefaultBoardId;

    /// <summary>
    /// Firmware version announced to offloadd (<c>Nic:FirmwareVersion</c>); when empty, the build's informational
    /// version is used.
    /// </summary>
    public string? FirmwareVersion { get; set; }
}
