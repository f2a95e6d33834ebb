using Offload.Emulation.Processes;

namespace Offload.Emulation.Guest;

public sealed partial class GuestImageBuilder
{
    private const string GuestLibraryDirectory = "lib/x86_64-linux-gnu";
    private const int MaxDependencyRounds = 6;
    private static readonly TimeSpan LddTimeout = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Finds every shared library the guest binaries need. ldd runs with the unpacked payload first on
    /// LD_LIBRARY_PATH; sonames still missing are fetched from the library packages the included packages
    /// depend on (one dependency level per round) unless the host already has them installed.
    /// Returns guest path → source path.
    /// </summary>
    private async Task<Dictionary<string, string>> ResolveLibrariesAsync(
        string staging, Dictionary<string, string> included, CancellationToken cancellationToken)
    {
        var expanded = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; ; round++)
        {
            var (libraries, missing) = await LddClosureAsync(staging, cancellationToken);
            if (missing.Count == 0)
            {
                return libraries;
            }

            if (round == MaxDependencyRounds)
            {
                throw new InvalidOperationException(
                    $"Guest binaries still miss shared libraries after {MaxDependencyRounds} dependency rounds: {string.Join(", ", missing)}.");
            }

            var wanted = new List<string>();
            foreach (var package in included.Keys.ToList())
            {
                if (!expanded.Add(package) || package.StartsWith("linux-image-", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var dependency in await DebianArchive.GetDependsAsync(package, cancellationToken))
                {
                    if (dependency.StartsWith("lib", StringComparison.Ordinal) && !included.ContainsKey(dependency) && !wanted.Contains(dependency)
                        && !await DebianArchive.IsInstalledOnHostAsync(dependency, cancellationToken))
                    {
                        wanted.Add(dependency);
                    }
                }
            }

            if (wanted.Count == 0 && expanded.Count == included.Count)
            {
                throw new InvalidOperationException(
                    $"Guest binaries miss shared libraries that no dependency package provides: {string.Join(", ", missing)}. " +
                    "Install the library on the host (apt-get install) so it can be copied from /lib.");
            }

            if (wanted.Count > 0)
            {
                var versions = await DebianArchive.GetCandidateVersionsAsync(wanted, cancellationToken);
                foreach (var pair in versions)
                {
                    included[pair.Key] = pair.Value;
                    await FetchAsync(pair.Key, pair.Value, staging, cancellationToken);
                }
            }
        }
    }

    private static async Task<(Dictionary<string, string> Libraries, List<string> Missing)> LddClosureAsync(string staging, CancellationToken cancellationToken)
    {
        var searchPath = string.Join(':', LibraryDirectories(staging));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["LD_LIBRARY_PATH"] = searchPath };
        var libraries = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var binary in DynamicBinaries)
        {
            var path = Path.Combine(staging, binary);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Guest binary '{binary}' is not in the unpacked packages under {staging}.");
            }

            var result = await ProcessRunner.RunAsync("ldd", [path], LddTimeout, environment: environment, cancellationToken: cancellationToken);
            foreach (var line in result.StandardOutput.Split('\n'))
            {
                if (!SharedLibraryReference.TryParse(line, out var reference))
                {
                    continue;
                }

                if (reference.Path is null)
                {
                    if (!missing.Contains(reference.Soname))
                    {
                        missing.Add(reference.Soname);
                    }

                    continue;
                }

                var guestPath = reference.Soname.StartsWith("ld-linux", StringComparison.Ordinal)
                    ? "lib64/" + reference.Soname
                    : GuestLibraryDirectory + "/" + reference.Soname;
                libraries[guestPath] = reference.Path;
            }
        }

        return (libraries, missing);
    }

    private static SortedSet<string> LibraryDirectories(string staging)
    {
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var top in new[] { "lib", "usr/lib" })
        {
            var root = Path.Combine(staging, top);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(root, "*.so*", SearchOption.AllDirectories))
            {
                if (!file.Contains("/lib/modules/", StringComparison.Ordinal))
                {
                    directories.Add(Path.GetDirectoryName(file)!);
                }
            }
        }

        return directories;
    }
}
