namespace Offload.Nic.Nvme.Tests.Support;

/// <summary>tests/regression/nvme: every stream that ever crashed the target, replayed by the tests.</summary>
public static class RegressionCorpus
{
    public static string Directory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Offload.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "tests", "regression", "nvme");
        }
    }

    public static string[] Files() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.GetFiles(Directory, "*.bin") : [];

    public static string Save(ReadOnlySpan<byte> stream)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var hash = Offload.Nic.Nvme.Pdu.Crc32C.Compute(stream);
        var path = Path.Combine(Directory, $"crash-{hash:x8}-{stream.Length}.bin");
        File.WriteAllBytes(path, stream.ToArray());
        return path;
    }
}
