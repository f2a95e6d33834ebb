using System.Reflection;

namespace Offload.Emulation.Qos;

/// <summary>Finds the built nic-fw and offloadd of the repository the running assembly belongs to.</summary>
public static class QosBinaries
{
    /// <summary>The repository root (the directory holding Offload.sln) above the running assembly or the current directory.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Offload.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("No Offload.sln above the program or the current directory; run offload-emu qos from the repository.");
    }

    /// <summary>nic-fw and offloadd apphosts built in <paramref name="configuration"/> (null = the configuration this
    /// assembly was built in).</summary>
    public static (string NicFw, string Offloadd) Locate(string? configuration = null)
    {
        configuration ??= typeof(QosBinaries).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var root = RepositoryRoot();
        return (Path.Combine(root, "nic-fw", "Offload.Nic", "bin", configuration, "net10.0", "nic-fw"),
            Path.Combine(root, "host", "Offload.Host", "bin", configuration, "net10.0", "offloadd"));
    }
}
