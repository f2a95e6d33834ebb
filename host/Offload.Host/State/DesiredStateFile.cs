using System.Runtime.InteropServices;
using System.Text.Json;
using Offload.Contracts.Management;

namespace Offload.Host.State;

/// <summary>
/// Reads and atomically writes the desired-state file. A write goes to <c>state.json.tmp</c> in the same directory,
/// is fsynced, the current file is copied to <c>state.json.bak</c> (fsynced, renamed into place), the temp file is
/// renamed over <c>state.json</c>, and the directory is fsynced: after a crash at any point the file is either the old
/// or the new state, and <c>.bak</c> is always a complete earlier state.
/// </summary>
internal static partial class DesiredStateFile
{
    private const int ORdOnly = 0;

    /// <summary>O_DIRECTORY: 040000 where the architecture's fcntl.h defines its own (arm, arm64, powerpc), else the
    /// generic 0200000 (x86, riscv64, loongarch64, s390x). On arm64, 0200000 is O_DIRECT.</summary>
    internal static readonly int ODirectory = DirectoryFlag(RuntimeInformation.ProcessArchitecture);

    internal static int DirectoryFlag(Architecture architecture) =>
        architecture is Architecture.Arm or Architecture.Armv6 or Architecture.Arm64 or Architecture.Ppc64le ? 0x4000 : 0x10000;

    internal static string BackupPath(string path) => path + ".bak";

    /// <summary>Reads <paramref name="path"/>; a missing file is an empty state at revision 0.</summary>
    /// <exception cref="DesiredStateException">The file cannot be read, is not valid JSON or is not a valid state.</exception>
    internal static DesiredState Load(string path)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return new DesiredState();
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DesiredStateException($"state file {path} cannot be read ({ex.Message}); check its permissions (offloadd runs as root).", ex);
        }

        if (!TryParse(bytes, out var state, out var problem) || !DesiredStateValidator.TryValidate(state, out problem))
        {
            var backup = BackupPath(path);
            var remedy = File.Exists(backup)
                ? $"the last good copy {backup} was kept: restore it (cp {backup} {path}) or fix the file, then start offloadd again"
                : "fix or remove the file, then start offloadd again";
            throw new DesiredStateException($"state file {path} is corrupt: {problem}; offloadd did not start; {remedy}.");
        }

        return state;
    }

    /// <summary>Parses a state document; <paramref name="problem"/> is one line (with line and column).</summary>
    internal static bool TryParse(ReadOnlySpan<byte> json, out DesiredState state, out string problem)
    {
        try
        {
            state = JsonSerializer.Deserialize(json, ManagementJsonContext.Default.DesiredState) ?? throw new JsonException("the document is null");
            problem = "";
            return true;
        }
        catch (JsonException ex)
        {
            state = new DesiredState();
            problem = ex.LineNumber is { } line
                ? $"invalid JSON at line {line + 1}, byte {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}"
                : $"invalid JSON: {FirstSentence(ex.Message)}";
            return false;
        }
    }

    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> atomically, keeping the previous file as .bak.</summary>
    internal static void Save(string path, DesiredState state)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            Directory.CreateDirectory(directory);
            var temp = path + ".tmp";
            WriteSynced(temp, JsonSerializer.SerializeToUtf8Bytes(state, ManagementJsonContext.Default.DesiredState));
            if (File.Exists(path))
            {
                var backupTemp = BackupPath(path) + ".tmp";
                WriteSynced(backupTemp, File.ReadAllBytes(path));
                File.Move(backupTemp, BackupPath(path), overwrite: true);
            }

            File.Move(temp, path, overwrite: true);
            SyncDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DesiredStateException($"state file {path} cannot be written ({ex.Message}); nothing was changed; check the disk and State:Path.", ex);
        }
    }

    private static void WriteSynced(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static void SyncDirectory(string directory)
    {
        var fd = Open(directory, ORdOnly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
