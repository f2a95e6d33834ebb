namespace Offload.Benchmarks.Mailbox;

/// <summary>Where benchmarks put mailbox sockets and shared-memory ring files.</summary>
public static class ScratchDirectory
{
    /// <summary>
    /// A fresh directory on /dev/shm (a tmpfs, like /run where a mailbox socket is deployed) when there is one, else
    /// under the temp directory. On a disk file system the kernel writes a shared ring's dirty pages back, and every
    /// write to a cleaned page faults again: kernel time that a deployed (tmpfs) ring does not have.
    /// </summary>
    public static string CreateOnTmpfs()
    {
        string name = $"offload-bench-{Guid.NewGuid():N}";
        string path = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", name) : Path.Combine(Path.GetTempPath(), name);
        Directory.CreateDirectory(path);
        return path;
    }
}
