using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.Versioning;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// A mailbox file mapped into this process. The device creates it (<see cref="Create"/>), the host opens it
/// (<see cref="Open"/>); the device unlinks it once the host has mapped it, so only the two mappings remain.
/// The mapping lives until <see cref="Dispose"/> and every <see cref="TryAddUser"/> has been matched by
/// <see cref="RemoveUser"/>: a thread copying through the rings never sees the memory unmapped under it.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class SharedMemoryMapping : IDisposable
{
    private const UnixFileMode FileMode0660 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private int _disposed;

    private SharedMemoryMapping(MemoryMappedFile file, MemoryMappedViewAccessor view, int ringSize)
    {
        _file = file;
        _view = view;
        RingSize = ringSize;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    public int RingSize { get; }

    /// <summary>Device end: creates the file (mode 0660, must not exist), sizes it and writes the header.</summary>
    public static SharedMemoryMapping Create(string path, int ringSize)
    {
        long fileSize = SharedMemoryLayout.FileSize(ringSize);
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            UnixCreateMode = FileMode0660,
        });
        try
        {
            stream.SetLength(fileSize);
            var mapping = Map(stream, fileSize, ringSize);
            var header = new Span<byte>(mapping._base, SharedMemoryLayout.HeaderSize);
            BinaryPrimitives.WriteUInt32LittleEndian(header[SharedMemoryLayout.MagicOffset..], SharedMemoryLayout.Magic);
            BinaryPrimitives.WriteUInt16LittleEndian(header[SharedMemoryLayout.VersionOffset..], SharedMemoryLayout.Version);
            BinaryPrimitives.WriteInt64LittleEndian(header[SharedMemoryLayout.RingSizeOffset..], ringSize);
            return mapping;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Host end: opens and maps the file the device offered, after checking its size and header against the hello.</summary>
    public static SharedMemoryMapping Open(string path, int ringSize, long fileSize)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        SharedMemoryMapping? mapping = null;
        try
        {
            if (stream.Length != fileSize)
            {
                throw new IOException($"Shared-memory ring file '{path}' is {stream.Length} bytes; the device announced {fileSize}.");
            }

            mapping = Map(stream, fileSize, ringSize);
            var header = new ReadOnlySpan<byte>(mapping._base, SharedMemoryLayout.HeaderSize);
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header[SharedMemoryLayout.MagicOffset..]);
            ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[SharedMemoryLayout.VersionOffset..]);
            long size = BinaryPrimitives.ReadInt64LittleEndian(header[SharedMemoryLayout.RingSizeOffset..]);
            if (magic != SharedMemoryLayout.Magic || version != SharedMemoryLayout.Version || size != ringSize)
            {
                throw new IOException($"Shared-memory ring file '{path}' has header magic 0x{magic:X8}, version {version}, ring size {size}; the hello announced 0x{SharedMemoryLayout.Magic:X8}, {SharedMemoryLayout.Version}, {ringSize}.");
            }

            return mapping;
        }
        catch
        {
            if (mapping is not null)
            {
                mapping.Dispose();
            }
            else
            {
                stream.Dispose();
            }

            throw;
        }
    }

    /// <summary>The ring one end uses in one role; <paramref name="ring"/> is <see cref="SharedMemoryLayout.DeviceToHost"/> or <see cref="SharedMemoryLayout.HostToDevice"/>.</summary>
    public SharedMemoryRing Ring(int ring, bool producer) =>
        new(_base + SharedMemoryLayout.ControlBlock(ring), _base + SharedMemoryLayout.DataOffset(ring, RingSize), RingSize, producer);

    /// <summary>Keeps the memory mapped until <see cref="RemoveUser"/>; false once disposed.</summary>
    public bool TryAddUser()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }

        var handle = _view.SafeMemoryMappedViewHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        // The handle only refuses once its last reference is gone; a Dispose that ran while another user held the
        // mapping must refuse newcomers too.
        if (added && Volatile.Read(ref _disposed) != 0)
        {
            handle.DangerousRelease();
            return false;
        }

        return added;
    }

    public void RemoveUser() => _view.SafeMemoryMappedViewHandle.DangerousRelease();

    /// <summary>Unmaps once the last user is done. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var handle = _view.SafeMemoryMappedViewHandle;
        handle.ReleasePointer();
        // munmap happens when the last user leaves. The accessor is deliberately not disposed: the handle is all it
        // owns, and its Dispose would msync the whole file (worthless: the file is unlinked) and, if the last user
        // left between its "still open?" check and that msync, throw ObjectDisposedException.
        handle.Dispose();
        _file.Dispose();
    }

    private static SharedMemoryMapping Map(FileStream stream, long fileSize, int ringSize)
    {
        var file = MemoryMappedFile.CreateFromFile(stream, null, fileSize, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        try
        {
            var view = file.CreateViewAccessor(0, fileSize, MemoryMappedFileAccess.ReadWrite);
            return new SharedMemoryMapping(file, view, ringSize);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
