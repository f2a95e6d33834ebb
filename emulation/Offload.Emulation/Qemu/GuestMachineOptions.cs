using Offload.Emulation.Guest;

namespace Offload.Emulation.Qemu;

/// <summary>One guest run: image, scenario overlay, network, capture and bounds.</summary>
public sealed record GuestMachineOptions(GuestImage Image)
{
    /// <summary>Name used in logs and temp files.</summary>
    public string Name { get; init; } = "guest";

    /// <summary>The scenario sourced by /init (see <see cref="GuestImageBuilder.BuildOverlay"/>); null boots and powers off.</summary>
    public string? Scenario { get; init; }

    /// <summary>Extra files for the overlay (guest path without leading '/' → content).</summary>
    public IReadOnlyDictionary<string, byte[]>? ExtraFiles { get; init; }

    /// <summary>The NIC backend and eth0 address.</summary>
    public GuestNetwork Network { get; init; } = GuestNetwork.User();

    /// <summary>MAC of the virtio-net NIC (two guests on one wire need different ones).</summary>
    public string MacAddress { get; init; } = "52:54:00:12:34:56";

    /// <summary>When set, QEMU's filter-dump writes every frame of the NIC to this pcap file.</summary>
    public string? PcapPath { get; init; }

    /// <summary>Bytes of each frame the capture keeps (QEMU filter-dump <c>maxlen</c>); null keeps whole frames.</summary>
    public int? PcapSnapLength { get; init; }

    /// <summary>The QEMU executable (default <see cref="QemuRunner.QemuBinary"/> from PATH).</summary>
    public string QemuPath { get; init; } = QemuRunner.QemuBinary;

    /// <summary>Guest RAM in MiB.</summary>
    public int MemoryMiB { get; init; } = 1024;

    /// <summary>Hard bound on the whole run; QEMU is killed when it passes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Extra kernel command line words.</summary>
    public string ExtraKernelArguments { get; init; } = string.Empty;

    /// <summary>When set, the serial console is also written here.</summary>
    public string? ConsoleLogPath { get; init; }
}
