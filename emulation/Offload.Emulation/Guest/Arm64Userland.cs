using Offload.Emulation.Processes;

namespace Offload.Emulation.Guest;

/// <summary>
/// The arm64 C runtime a self-contained linux-arm64 nic-fw needs (the dynamic loader, libc, libgcc_s, libstdc++, zlib),
/// unpacked from Debian's arm64 packages (<c>apt-get download pkg:arm64</c> + <c>dpkg -x</c>) for
/// <c>qemu-aarch64-static -L</c>: the BlueField build runs as arm64 code on this x86-64 machine, with its system calls
/// served by the host kernel. apt must know the architecture (<c>dpkg --add-architecture arm64</c>, then
/// <c>apt-get update</c>; scripts/test.sh does both).
/// </summary>
public static class Arm64Userland
{
    /// <summary>The user-mode emulator (Debian package qemu-user-static).</summary>
    public const string Emulator = "qemu-aarch64-static";

    private static readonly string[] Packages = ["libc6:arm64", "libgcc-s1:arm64", "libstdc++6:arm64", "zlib1g:arm64"];

    /// <summary>Unpacks the packages' current candidates under <paramref name="cacheDirectory"/> once (a marker names
    /// the versions) and returns the root to pass to <c>-L</c>.</summary>
    public static async Task<string> EnsureAsync(string cacheDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cacheDirectory);
        if (!(await ProcessRunner.RunAsync("dpkg", ["--print-foreign-architectures"], TimeSpan.FromSeconds(30), cancellationToken: cancellationToken))
                .StandardOutput.Split('\n').Any(a => a.Trim() == "arm64"))
        {
            throw new InvalidOperationException(
                "apt does not know the arm64 architecture: run 'dpkg --add-architecture arm64 && apt-get update' (scripts/test.sh does).");
        }

        var versions = await DebianArchive.GetCandidateVersionsAsync(Packages, cancellationToken);
        var stamp = string.Join(' ', Packages.Select(p => $"{p}={versions[p]}"));
        var directory = Path.Combine(cacheDirectory, "arm64-userland");
        var root = Path.Combine(directory, "root");
        var marker = Path.Combine(directory, "unpacked");
        if (File.Exists(marker) && await File.ReadAllTextAsync(marker, cancellationToken) == stamp)
        {
            return root;
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        foreach (var package in Packages)
        {
            var deb = await DebianArchive.DownloadAsync(package, versions[package], Path.Combine(directory, "debs"), cancellationToken);
            await DebianArchive.ExtractAsync(deb, root, cancellationToken);
        }

        if (!File.Exists(Path.Combine(root, "lib", "ld-linux-aarch64.so.1")))
        {
            throw new InvalidOperationException($"the arm64 packages unpacked under {root} have no lib/ld-linux-aarch64.so.1");
        }

        await File.WriteAllTextAsync(marker, stamp, cancellationToken);
        return root;
    }
}
