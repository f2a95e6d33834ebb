using System.Globalization;
using Offload.Emulation.Guest;
using Offload.Emulation.Processes;

namespace Offload.Emulation.Qemu;

/// <summary>
/// Boots a guest under <c>qemu-system-x86_64 -accel tcg</c> (never KVM), waits for it to power off or hit
/// its timeout, and parses the serial console.
/// </summary>
public static class QemuRunner
{
    /// <summary>The QEMU binary.</summary>
    public const string QemuBinary = "qemu-system-x86_64";

    /// <summary>Environment variable naming a folder where every run's console is saved as NAME.console.log.</summary>
    public const string ConsoleLogDirectoryVariable = "OFFLOAD_EMU_LOGS";

    private static string? DefaultConsoleLogPath(string name)
    {
        var directory = Environment.GetEnvironmentVariable(ConsoleLogDirectoryVariable);
        if (string.IsNullOrWhiteSpace(directory))
        {
            return null;
        }

        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name + ".console.log");
    }

    /// <summary>The full QEMU argument list for <paramref name="options"/> with the combined initrd at <paramref name="initrdPath"/>.</summary>
    public static IReadOnlyList<string> BuildArguments(GuestMachineOptions options, string initrdPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        var network = options.Network;
        var append = $"console=ttyS0 quiet panic=-1 offload.ip={network.GuestAddress} offload.gw={network.Gateway} offload.hostname={options.Name}";
        if (options.ExtraKernelArguments.Length > 0)
        {
            append += " " + options.ExtraKernelArguments;
        }

        var arguments = new List<string>
        {
            "-accel", "tcg",
            "-m", options.MemoryMiB.ToString(CultureInfo.InvariantCulture),
            "-smp", "1",
            "-nographic",
            "-no-reboot",
            "-kernel", options.Image.KernelPath,
            "-initrd", initrdPath,
            "-append", append,
            "-netdev", network.ToNetdevArgument("n0"),
            "-device", $"virtio-net-pci,netdev=n0,romfile=,mac={options.MacAddress}",
        };
        if (options.PcapPath is not null)
        {
            arguments.Add("-object");
            arguments.Add(options.PcapSnapLength is { } snap
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"filter-dump,id=f1,netdev=n0,file={options.PcapPath},maxlen={snap}")
                : $"filter-dump,id=f1,netdev=n0,file={options.PcapPath}");
        }

        return arguments;
    }

    /// <summary>Runs the guest to completion. Throws <see cref="ToolMissingException"/> when QEMU is not installed.</summary>
    public static async Task<GuestRunResult> RunAsync(GuestMachineOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var initrd = Path.Combine(Path.GetTempPath(), $"offload-{options.Name}-{Environment.ProcessId}-{Guid.NewGuid():N}.cpio.gz");
        try
        {
            await using (var combined = File.Create(initrd))
            {
                await using (var baseImage = File.OpenRead(options.Image.InitramfsPath))
                {
                    await baseImage.CopyToAsync(combined, cancellationToken);
                }

                if (options.Scenario is not null)
                {
                    await combined.WriteAsync(GuestImageBuilder.BuildOverlay(options.Scenario, options.ExtraFiles), cancellationToken);
                }
            }

            var result = await ProcessRunner.RunAsync(options.QemuPath, BuildArguments(options, initrd), options.Timeout, cancellationToken: cancellationToken);
            var parsed = GuestRunResult.Parse(result.StandardOutput, result.ExitCode, result.TimedOut, result.StandardError);
            var logPath = options.ConsoleLogPath ?? DefaultConsoleLogPath(options.Name);
            if (logPath is not null)
            {
                await File.WriteAllTextAsync(logPath, parsed.Console, cancellationToken);
            }

            return parsed;
        }
        finally
        {
            File.Delete(initrd);
        }
    }
}
