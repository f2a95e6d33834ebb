using System.IO.Compression;
using System.Text;

namespace Offload.Emulation.Guest;

public sealed partial class GuestImageBuilder
{
    /// <summary>Reads .modinfo of the root modules and, transitively, of everything they depend on.</summary>
    private static (Dictionary<string, KernelModuleInfo> Infos, Dictionary<string, string> Paths) CollectModules(string staging)
    {
        var modulesRoot = Directory.GetDirectories(Path.Combine(staging, "lib", "modules")).Single();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(modulesRoot, "kernel"), "*.ko", SearchOption.AllDirectories))
        {
            files.TryAdd(KernelModuleInfo.NormalizeName(Path.GetFileNameWithoutExtension(file)), file);
        }

        var infos = new Dictionary<string, KernelModuleInfo>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>(ModuleLoadOrder.DefaultRoots.Select(KernelModuleInfo.NormalizeName));
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (infos.ContainsKey(name) || !files.TryGetValue(name, out var file))
            {
                continue;
            }

            if (!KernelModuleInfo.TryParse(File.ReadAllBytes(file), out var info))
            {
                throw new InvalidOperationException($"Kernel module '{file}' has no readable .modinfo section (compressed .ko?).");
            }

            infos[name] = info;
            paths[name] = file;
            foreach (var dependency in info.Depends.Concat(info.SoftDependsPre))
            {
                queue.Enqueue(dependency);
            }
        }

        return (infos, paths);
    }

    private static void WriteInitramfs(
        string target,
        string staging,
        IReadOnlyDictionary<string, string> libraries,
        Dictionary<string, string> modulePaths,
        IReadOnlyList<string> order)
    {
        using var file = File.Create(target);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        var cpio = new CpioArchiveWriter(gzip);
        foreach (var directory in new[] { "bin", "sbin", "usr/bin", "usr/sbin", "lib64", GuestLibraryDirectory, "lib/modules", "etc/offload", "dev", "proc", "sys", "tmp", "run", "root" })
        {
            cpio.AddDirectory(directory);
        }

        // The kernel opens /dev/console for /init's stdio before devtmpfs is mounted.
        cpio.AddCharacterDevice("dev/console", 5, 1);
        cpio.AddCharacterDevice("dev/null", 1, 3, 0x1B6);
        cpio.AddFile("init", Encoding.UTF8.GetBytes(InitScript), 0x1ED);
        cpio.AddFile("bin/busybox", File.ReadAllBytes(Path.Combine(staging, "bin", "busybox")), 0x1ED);
        cpio.AddSymlink("bin/sh", "busybox");
        foreach (var binary in DynamicBinaries)
        {
            cpio.AddFile(binary, File.ReadAllBytes(Path.Combine(staging, binary)), 0x1ED);
        }

        foreach (var pair in libraries.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            cpio.AddFile(pair.Key, File.ReadAllBytes(pair.Value), 0x1ED);
        }

        foreach (var name in order)
        {
            cpio.AddFile("lib/modules/" + name + ".ko", File.ReadAllBytes(modulePaths[name]));
        }

        cpio.AddFile("etc/offload/modules.order", Encoding.UTF8.GetBytes(string.Join('\n', order) + "\n"));
        cpio.AddFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"u8);
        cpio.AddFile("etc/group", "root:x:0:\n"u8);
        cpio.AddFile("etc/hosts", "127.0.0.1 localhost\n"u8);
        cpio.Finish();
    }
}
