using System.Globalization;
using Offload.Emulation.Processes;

namespace Offload.Emulation.Guest;

/// <summary>The host's apt/dpkg: candidate versions, dependencies, <c>apt-get download</c> and <c>dpkg -x</c>.</summary>
public static class DebianArchive
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Candidate version of each package (apt-cache policy); throws when one has no candidate.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> GetCandidateVersionsAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var output = await ProcessRunner.RunCheckedAsync("apt-cache", ["policy", .. packages], QueryTimeout, cancellationToken: cancellationToken);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var raw in output.Split('\n'))
        {
            if (raw.Length > 0 && !char.IsWhiteSpace(raw[0]) && raw.EndsWith(':'))
            {
                current = raw[..^1];
                continue;
            }

            var line = raw.Trim();
            if (current is not null && line.StartsWith("Candidate:", StringComparison.Ordinal))
            {
                var version = line["Candidate:".Length..].Trim();
                if (version != "(none)")
                {
                    versions[current] = version;
                }
            }
        }

        foreach (var package in packages)
        {
            if (!versions.ContainsKey(package))
            {
                throw new InvalidOperationException(
                    $"Debian package '{package}' has no install candidate. Run 'apt-get update' and check the apt sources.");
            }
        }

        return versions;
    }

    /// <summary>The concrete <c>linux-image-6.1.0-*-amd64</c> that the <c>linux-image-amd64</c> metapackage pulls in.</summary>
    public static async Task<string> ResolveKernelPackageAsync(CancellationToken cancellationToken)
    {
        foreach (var dependency in await GetDependsAsync("linux-image-amd64", cancellationToken))
        {
            if (dependency.StartsWith("linux-image-6.1.0-", StringComparison.Ordinal) && dependency.EndsWith("-amd64", StringComparison.Ordinal))
            {
                return dependency;
            }
        }

        throw new InvalidOperationException("linux-image-amd64 does not depend on a linux-image-6.1.0-*-amd64 package; check the apt sources (Debian 12 expected).");
    }

    /// <summary>Direct <c>Depends:</c>/<c>PreDepends:</c> package names (virtual packages in &lt;&gt; skipped).</summary>
    public static async Task<IReadOnlyList<string>> GetDependsAsync(string package, CancellationToken cancellationToken)
    {
        var output = await ProcessRunner.RunCheckedAsync("apt-cache", ["depends", package], QueryTimeout, cancellationToken: cancellationToken);
        var result = new List<string>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim().TrimStart('|');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var kind = line[..colon];
            var name = line[(colon + 1)..].Trim();
            if ((kind == "Depends" || kind == "PreDepends") && name.Length > 0 && !name.StartsWith('<'))
            {
                result.Add(name);
            }
        }

        return result;
    }

    /// <summary>Downloads <paramref name="package"/>=<paramref name="version"/> into <paramref name="directory"/>, reusing a cached .deb.</summary>
    public static async Task<string> DownloadAsync(string package, string version, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var existing = FindDeb(directory, package, version);
        if (existing is not null)
        {
            return existing;
        }

        var result = await ProcessRunner.RunAsync("apt-get", ["download", $"{package}={version}"], DownloadTimeout, directory, cancellationToken: cancellationToken);
        if (!result.Succeeded && result.StandardError.Contains("Unable to locate package", StringComparison.Ordinal))
        {
            // Package lists are missing (fresh container): refresh them once and retry.
            await ProcessRunner.RunCheckedAsync("apt-get", ["update"], DownloadTimeout, cancellationToken: cancellationToken);
            result = await ProcessRunner.RunAsync("apt-get", ["download", $"{package}={version}"], DownloadTimeout, directory, cancellationToken: cancellationToken);
        }

        return FindDeb(directory, package, version)
            ?? throw new InvalidOperationException(
                $"apt-get download {package}={version} produced no .deb in {directory} (exit {result.ExitCode}): {result.StandardError.Trim()}");
    }

    /// <summary>Unpacks a .deb's payload with <c>dpkg -x</c>.</summary>
    public static Task ExtractAsync(string deb, string root, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        return ProcessRunner.RunCheckedAsync("dpkg", ["-x", deb, root], DownloadTimeout, cancellationToken: cancellationToken);
    }

    /// <summary>True when dpkg reports the package fully installed on the host.</summary>
    public static async Task<bool> IsInstalledOnHostAsync(string package, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("dpkg-query", ["-W", "-f=${Status}", package], QueryTimeout, cancellationToken: cancellationToken);
        return result.Succeeded && result.StandardOutput.Trim().EndsWith("ok installed", StringComparison.Ordinal);
    }

    private static string? FindDeb(string directory, string package, string version)
    {
        // apt-get download escapes ':' in epochs as %3a; a foreign package (libc6:arm64) is named libc6_<version>_arm64.deb.
        var escaped = version.Replace(":", "%3a", StringComparison.Ordinal);
        var colon = package.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? package : package[..colon];
        var suffix = colon < 0 ? ".deb" : $"_{package[(colon + 1)..]}.deb";
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{name}_{escaped}_");
        return Directory.EnumerateFiles(directory, "*.deb")
            .FirstOrDefault(path => Path.GetFileName(path) is var file
                && file.StartsWith(prefix, StringComparison.Ordinal) && file.EndsWith(suffix, StringComparison.Ordinal));
    }
}
