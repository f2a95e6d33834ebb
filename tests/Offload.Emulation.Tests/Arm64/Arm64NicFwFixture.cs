using Offload.Emulation;
using Offload.Emulation.Guest;
using Offload.Emulation.Processes;
using Offload.Testing.Processes;

namespace Offload.Emulation.Tests.Arm64;

/// <summary>
/// nic-fw published for linux-arm64 (self-contained, the BlueField recipe in boards/README.md) and the arm64 C runtime
/// it needs, once for the collection. The publish builds a copy of the sources (nic-fw/, shared/ and the build files)
/// in a temporary directory, so it never rewrites the outputs the other tests are running.
/// </summary>
public sealed class Arm64NicFwFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"];
    private static readonly string[] SourceDirectories = ["nic-fw", "shared"];
    private readonly TempDirectory _directory = new();
    private Exception? _failure;
    private string? _nicFw;
    private string? _root;

    /// <summary>The arm64 nic-fw executable.</summary>
    public string NicFw => _nicFw ?? throw Unavailable();

    /// <summary>The arm64 C runtime's root, for the emulator's <c>-L</c>.</summary>
    public string Root => _root ?? throw Unavailable();

    public async Task InitializeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(PublishTimeout);
            var sources = Directory.CreateDirectory(_directory.File("src")).FullName;
            foreach (var file in BuildFiles)
            {
                File.Copy(Path.Combine(RepositoryLayout.RootDirectory, file), Path.Combine(sources, file));
            }

            foreach (var directory in SourceDirectories)
            {
                CopySources(Path.Combine(RepositoryLayout.RootDirectory, directory), Path.Combine(sources, directory));
            }

            var output = _directory.File("publish");
            await ProcessRunner.RunCheckedAsync("dotnet",
                ["publish", Path.Combine(sources, "nic-fw", "Offload.Nic", "Offload.Nic.csproj"), "-c", "Release", "-r", "linux-arm64", "--self-contained", "-o", output, "-nologo"],
                PublishTimeout, cancellationToken: timeout.Token);
            _nicFw = Path.Combine(output, "nic-fw");
            _root = await Arm64Userland.EnsureAsync(EmulationPaths.DefaultCacheDirectory(), timeout.Token);
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
    }

    public Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    private InvalidOperationException Unavailable() => new(
        "The linux-arm64 nic-fw or its arm64 C runtime could not be prepared. It needs the linux-arm64 runtime pack from the "
        + "NuGet source, qemu-user-static, and apt's arm64 architecture (scripts/test.sh installs and adds both).", _failure);

    /// <summary>Copies a source tree without build outputs.</summary>
    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj" or ".cache"))
            {
                CopySources(directory, Path.Combine(to, name));
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class Arm64Collection : ICollectionFixture<Arm64NicFwFixture>
{
    public const string Name = "arm64 nic-fw";
}
