using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Offload.Emulation.Processes;

namespace Offload.Emulation.Guest;

/// <summary>
/// Builds (and caches by content hash) the guest kernel + initramfs from Debian packages:
/// <c>apt-get download</c> + <c>dpkg -x</c> of the kernel, busybox-static, nvme-cli, fio and iperf3, the
/// shared libraries their binaries need (found with <c>ldd</c>), and the kernel modules in insmod order.
/// </summary>
public sealed partial class GuestImageBuilder
{
    /// <summary>Bumped whenever the image layout changes, so old cache entries are not reused.</summary>
    private const string LayoutVersion = "offload-guest-v1";

    private static readonly string[] UserPackages = ["busybox-static", "nvme-cli", "fio", "iperf3"];

    /// <summary>Guest binaries whose shared-library closure goes into the image.</summary>
    private static readonly string[] DynamicBinaries = ["usr/sbin/nvme", "usr/bin/fio", "usr/bin/iperf3"];

    private readonly string _cacheDirectory;

    /// <summary>Creates a builder that caches under <paramref name="cacheDirectory"/>.</summary>
    public GuestImageBuilder(string cacheDirectory) => _cacheDirectory = cacheDirectory;

    /// <summary>Creates a builder over <see cref="EmulationPaths.DefaultCacheDirectory"/>.</summary>
    public GuestImageBuilder()
        : this(EmulationPaths.DefaultCacheDirectory())
    {
    }

    /// <summary>The /init script embedded in this assembly (source: emulation/guest/init.sh).</summary>
    public static string InitScript { get; } = LoadInitScript();

    /// <summary>Returns the cached image for the current package candidates, building it first when absent.</summary>
    public async Task<GuestImage> BuildAsync(CancellationToken cancellationToken = default)
    {
        var kernelPackage = await DebianArchive.ResolveKernelPackageAsync(cancellationToken);
        var versions = await DebianArchive.GetCandidateVersionsAsync([kernelPackage, .. UserPackages], cancellationToken);
        var key = ComputeKey(versions);
        var imageDirectory = Path.Combine(_cacheDirectory, "images", key);
        var kernelPath = Path.Combine(imageDirectory, "vmlinuz");
        var initramfsPath = Path.Combine(imageDirectory, "initramfs.cpio.gz");
        var orderPath = Path.Combine(imageDirectory, "modules.order");
        if (File.Exists(orderPath))
        {
            return new GuestImage(kernelPath, initramfsPath, key, File.ReadAllLines(orderPath));
        }

        Directory.CreateDirectory(Path.Combine(_cacheDirectory, "images"));
        using (await AcquireLockAsync(Path.Combine(_cacheDirectory, "images", key + ".lock"), cancellationToken))
        {
            if (File.Exists(orderPath))
            {
                return new GuestImage(kernelPath, initramfsPath, key, File.ReadAllLines(orderPath));
            }

            var staging = Path.Combine(_cacheDirectory, "staging", key);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            var included = new Dictionary<string, string>(versions, StringComparer.Ordinal);
            foreach (var pair in versions)
            {
                await FetchAsync(pair.Key, pair.Value, staging, cancellationToken);
            }

            var libraries = await ResolveLibrariesAsync(staging, included, cancellationToken);
            var modules = CollectModules(staging);
            if (!ModuleLoadOrder.TryCompute(modules.Infos, ModuleLoadOrder.DefaultRoots, out var order, out var error))
            {
                throw new InvalidOperationException($"Cannot order the guest kernel modules of {kernelPackage}: {error}.");
            }

            var temporary = Path.Combine(_cacheDirectory, "images", key + ".tmp");
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            Directory.CreateDirectory(temporary);
            var vmlinuz = Directory.GetFiles(Path.Combine(staging, "boot"), "vmlinuz-*").Single();
            File.Copy(vmlinuz, Path.Combine(temporary, "vmlinuz"));
            WriteInitramfs(Path.Combine(temporary, "initramfs.cpio.gz"), staging, libraries, modules.Paths, order);
            File.WriteAllText(Path.Combine(temporary, "manifest.txt"), Manifest(included, libraries, order));
            File.WriteAllLines(Path.Combine(temporary, "modules.order"), order);
            if (Directory.Exists(imageDirectory))
            {
                Directory.Delete(imageDirectory, recursive: true);
            }

            Directory.Move(temporary, imageDirectory);
            Directory.Delete(staging, recursive: true);
            return new GuestImage(kernelPath, initramfsPath, key, order);
        }
    }

    /// <summary>
    /// Builds a tiny gzip cpio holding <c>/scenario.sh</c> (sourced by /init, with the <c>step</c> function
    /// available) plus optional extra files. Appended after the base initramfs, the kernel unpacks both.
    /// </summary>
    public static byte[] BuildOverlay(string scenarioScript, IReadOnlyDictionary<string, byte[]>? extraFiles = null)
    {
        ArgumentNullException.ThrowIfNull(scenarioScript);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            var cpio = new CpioArchiveWriter(gzip);
            cpio.AddFile("scenario.sh", Encoding.UTF8.GetBytes(scenarioScript), 0x1ED);
            if (extraFiles is not null)
            {
                foreach (var pair in extraFiles)
                {
                    cpio.AddFile(pair.Key, pair.Value, 0x1ED);
                }
            }

            cpio.Finish();
        }

        return buffer.ToArray();
    }

    private static string ComputeKey(IReadOnlyDictionary<string, string> versions)
    {
        var text = new StringBuilder();
        text.Append(LayoutVersion).Append('\n');
        foreach (var pair in versions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(pair.Key).Append('=').Append(pair.Value).Append('\n');
        }

        text.Append(string.Join(',', ModuleLoadOrder.DefaultRoots)).Append('\n');
        text.Append(string.Join(',', DynamicBinaries)).Append('\n');
        text.Append(InitScript);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private async Task FetchAsync(string package, string version, string staging, CancellationToken cancellationToken)
    {
        var deb = await DebianArchive.DownloadAsync(package, version, Path.Combine(_cacheDirectory, "debs"), cancellationToken);
        await DebianArchive.ExtractAsync(deb, staging, cancellationToken);
    }

    private static string LoadInitScript()
    {
        using var stream = typeof(GuestImageBuilder).Assembly.GetManifestResourceStream("Offload.Emulation.guest.init.sh")
            ?? throw new InvalidOperationException("The embedded guest init script is missing from Offload.Emulation.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task<IDisposable> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static string Manifest(IReadOnlyDictionary<string, string> packages, IReadOnlyDictionary<string, string> libraries, IReadOnlyList<string> order)
    {
        var text = new StringBuilder();
        text.Append("# packages\n");
        foreach (var pair in packages.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(pair.Key).Append(' ').Append(pair.Value).Append('\n');
        }

        text.Append("# libraries (guest path <- source)\n");
        foreach (var pair in libraries.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(pair.Key).Append(" <- ").Append(pair.Value).Append('\n');
        }

        text.Append("# modules\n").Append(string.Join('\n', order)).Append('\n');
        return text.ToString();
    }
}
