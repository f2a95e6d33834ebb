using System.Runtime.InteropServices;

namespace Offload.Host.Management;

/// <summary>libc calls .NET has no managed equivalent for: umask, chown, getgrnam, statx.</summary>
internal static partial class NativeMethods
{
    /// <summary><c>AT_FDCWD</c>: resolve relative paths against the working directory.</summary>
    private const int AtFdCwd = -100;

    /// <summary><c>AT_SYMLINK_NOFOLLOW</c>: report on a symlink itself.</summary>
    private const int AtSymlinkNoFollow = 0x100;

    /// <summary><c>STATX_TYPE</c>: we only need the file type bits of stx_mode.</summary>
    private const uint StatxType = 0x1;

    /// <summary>Offset of <c>stx_mode</c> in <c>struct statx</c> (the same on every architecture).</summary>
    private const int StatxModeOffset = 28;

    /// <summary><c>sizeof(struct statx)</c>.</summary>
    private const int StatxSize = 256;

    private const int FileTypeMask = 0xF000; // S_IFMT
    private const int SocketFileType = 0xC000; // S_IFSOCK

    /// <summary>Sets the process file-mode creation mask and returns the previous one.</summary>
    [LibraryImport("libc", EntryPoint = "umask")]
    internal static partial uint SetUmask(uint mask);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "getgrnam", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetGroupByName(string name);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    /// <summary>Looks a group up by name (through NSS, so LDAP/sssd groups work) or accepts a numeric gid.</summary>
    internal static bool TryResolveGroup(string group, out uint gid)
    {
        if (uint.TryParse(group, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out gid))
        {
            return true;
        }

        var entry = GetGroupByName(group);
        if (entry == IntPtr.Zero)
        {
            gid = 0;
            return false;
        }

        // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; char **gr_mem; }
        gid = unchecked((uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size));
        return true;
    }

    /// <summary>Changes the group of <paramref name="path"/>, leaving the owner alone; returns errno on failure.</summary>
    internal static bool TryChangeGroup(string path, uint gid, out int errno)
    {
        if (Chown(path, uint.MaxValue, gid) == 0)
        {
            errno = 0;
            return true;
        }

        errno = Marshal.GetLastPInvokeError();
        return false;
    }

    /// <summary>True when <paramref name="path"/> itself (not a symlink target) is a Unix domain socket.</summary>
    internal static unsafe bool IsSocket(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
        {
            return false;
        }

        var mode = *(ushort*)(buffer + StatxModeOffset);
        return (mode & FileTypeMask) == SocketFileType;
    }
}
