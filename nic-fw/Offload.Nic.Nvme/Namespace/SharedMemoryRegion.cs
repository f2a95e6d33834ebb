using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Offload.Nic.Nvme.Namespace;

/// <summary>
/// The NIC's shared memory region that namespaces are carved from: anonymous (zeroed native memory) or file-backed
/// through <see cref="MemoryMappedFile"/> so data survives a restart.
/// </summary>
public sealed unsafe class SharedMemoryRegion : IDisposable
{
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _base;

    private SharedMemoryRegion(byte* basePointer, long size, MemoryMappedFile? file, MemoryMappedViewAccessor? view)
    {
        _base = basePointer;
        Size = size;
        _file = file;
        _view = view;
    }

    public long Size { get; }

    public bool IsFileBacked => _file is not null;

    public static SharedMemoryRegion CreateAnonymous(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var p = (byte*)NativeMemory.AllocZeroed((nuint)size);
        return new SharedMemoryRegion(p, size, null, null);
    }

    public static SharedMemoryRegion OpenFile(string path, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.OpenOrCreate, null, size, MemoryMappedFileAccess.ReadWrite);
        var view = file.CreateViewAccessor(0, size, MemoryMappedFileAccess.ReadWrite);
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        p += view.PointerOffset;
        return new SharedMemoryRegion(p, size, file, view);
    }

    /// <summary>A span over [offset, offset+length). Callers have bounds-checked against their namespace.</summary>
    public Span<byte> Slice(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        if ((ulong)offset > (ulong)Size || (ulong)length > (ulong)(Size - offset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }

        return new Span<byte>(_base + offset, length);
    }

    /// <summary>The address of [offset, offset+length): stable for the region's lifetime (native or mapped memory).</summary>
    internal nint Address(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        if ((ulong)offset > (ulong)Size || (ulong)length > (ulong)(Size - offset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }

        return (nint)(_base + offset);
    }

    public void Flush() => _view?.Flush();

    public void Dispose()
    {
        if (_base == null)
        {
            return;
        }

        if (_view is not null)
        {
            _view.Flush();
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _file!.Dispose();
        }
        else
        {
            NativeMemory.Free(_base);
        }

        _base = null;
    }
}
