using System.Globalization;
using System.Text;

namespace Offload.Emulation.Guest;

/// <summary>
/// Writes a cpio "newc" (SVR4, no CRC) archive, the format the Linux kernel unpacks as an initramfs
/// (Documentation/driver-api/early-userspace/buffer-format.rst). Timestamps and owners are fixed at 0 so
/// the same inputs always give the same bytes.
/// </summary>
internal sealed class CpioArchiveWriter
{
    private const int S_IFDIR = 0x4000;
    private const int S_IFREG = 0x8000;
    private const int S_IFLNK = 0xA000;
    private const int S_IFCHR = 0x2000;

    private readonly Stream _output;
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private int _inode = 1;

    public CpioArchiveWriter(Stream output) => _output = output;

    /// <summary>Adds a directory and any missing parents.</summary>
    public void AddDirectory(string path, int permissions = 0x1ED /* 0755 */)
    {
        path = Normalize(path);
        if (path.Length == 0 || _paths.Contains(path))
        {
            return;
        }

        AddParents(path);
        _paths.Add(path);
        WriteEntry(path, S_IFDIR | permissions, ReadOnlySpan<byte>.Empty, 0, 0);
    }

    /// <summary>Adds a regular file; parent directories are created first.</summary>
    public void AddFile(string path, ReadOnlySpan<byte> content, int permissions = 0x1A4 /* 0644 */)
    {
        path = Normalize(path);
        if (!_paths.Add(path))
        {
            return;
        }

        AddParents(path);
        WriteEntry(path, S_IFREG | permissions, content, 0, 0);
    }

    /// <summary>Adds a symbolic link whose target is <paramref name="target"/>.</summary>
    public void AddSymlink(string path, string target)
    {
        path = Normalize(path);
        if (!_paths.Add(path))
        {
            return;
        }

        AddParents(path);
        WriteEntry(path, S_IFLNK | 0x1FF, Encoding.UTF8.GetBytes(target), 0, 0);
    }

    /// <summary>Adds a character device node (for example /dev/console, 5:1).</summary>
    public void AddCharacterDevice(string path, int major, int minor, int permissions = 0x180 /* 0600 */)
    {
        path = Normalize(path);
        if (!_paths.Add(path))
        {
            return;
        }

        AddParents(path);
        WriteEntry(path, S_IFCHR | permissions, ReadOnlySpan<byte>.Empty, major, minor);
    }

    /// <summary>Writes the TRAILER!!! entry; the archive is complete afterwards.</summary>
    public void Finish() => WriteEntry("TRAILER!!!", 0, ReadOnlySpan<byte>.Empty, 0, 0, trailer: true);

    private static string Normalize(string path) => path.Trim('/');

    private void AddParents(string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash > 0)
        {
            AddDirectory(path[..slash]);
        }
    }

    private void WriteEntry(string name, int mode, ReadOnlySpan<byte> data, int rdevMajor, int rdevMinor, bool trailer = false)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new StringBuilder(110);
        header.Append("070701");
        AppendHex(header, trailer ? 0 : _inode++);
        AppendHex(header, mode);
        AppendHex(header, 0); // uid
        AppendHex(header, 0); // gid
        AppendHex(header, (mode & 0xF000) == S_IFDIR ? 2 : 1);
        AppendHex(header, 0); // mtime
        AppendHex(header, data.Length);
        AppendHex(header, 0); // devmajor
        AppendHex(header, 0); // devminor
        AppendHex(header, rdevMajor);
        AppendHex(header, rdevMinor);
        AppendHex(header, nameBytes.Length + 1);
        AppendHex(header, 0); // check
        _output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        _output.Write(nameBytes);
        _output.WriteByte(0);
        Pad(110 + nameBytes.Length + 1);
        _output.Write(data);
        Pad(data.Length);
    }

    private void Pad(int length)
    {
        var pad = (4 - (length & 3)) & 3;
        for (var i = 0; i < pad; i++)
        {
            _output.WriteByte(0);
        }
    }

    private static void AppendHex(StringBuilder builder, int value) =>
        builder.Append(value.ToString("X8", CultureInfo.InvariantCulture));
}
