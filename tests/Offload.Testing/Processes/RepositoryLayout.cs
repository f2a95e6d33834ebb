using System.Reflection;

namespace Offload.Testing.Processes;

/// <summary>
/// Finds the repository root (the directory holding <c>Offload.sln</c>) and the built executables under
/// <c>&lt;project&gt;/bin/&lt;Configuration&gt;/net10.0/</c>, using the configuration the tests were built with.
/// </summary>
public static class RepositoryLayout
{
    private const string TargetFramework = "net10.0";

    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>Absolute path of the repository root.</summary>
    public static string RootDirectory => Root.Value;

    /// <summary>Build configuration of the test assemblies (Debug or Release).</summary>
    public static string Configuration { get; } =
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>nic-fw's apphost.</summary>
    public static string NicFw => Executable("nic-fw/Offload.Nic", "nic-fw");

    /// <summary>offloadd's apphost.</summary>
    public static string Offloadd => Executable("host/Offload.Host", "offloadd");

    /// <summary>offloadctl's apphost.</summary>
    public static string Offloadctl => Executable("host/Offload.Cli", "offloadctl");

    /// <summary>
    /// Path of <paramref name="assemblyName"/>'s apphost in <paramref name="projectDirectory"/>'s output folder.
    /// </summary>
    /// <exception cref="FileNotFoundException">The project has not been built in this configuration.</exception>
    public static string Executable(string projectDirectory, string assemblyName)
    {
        var path = Path.Combine(RootDirectory, projectDirectory, "bin", Configuration, TargetFramework, assemblyName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{path} is missing; build it first (dotnet build Offload.sln -c {Configuration}).", path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Offload.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Offload.sln above {AppContext.BaseDirectory}.");
    }
}
